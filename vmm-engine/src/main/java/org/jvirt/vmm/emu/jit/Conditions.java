package org.jvirt.vmm.emu.jit;

import org.jvirt.vmm.emu.cpu.BlockShape;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.*;

/**
 * Condition codes in generated code. When the block itself computed the flags last (an inline
 * ADD/SUB/CMP/logic whose operands and result are still in the generator's locals) the common
 * conditions are evaluated straight from those values, as {@code CpuAlu.lazyCond} does from the
 * recorded ones; otherwise through the interpreter's {@code cond}, which reads the lazy flags.
 */
final class Conditions {
    /** Locals holding the last inline flag writer's operands and result (longs). */
    static final int DST = RegisterLocals.END, SRC = DST + 2, RES = SRC + 2;

    private final MethodVisitor mv;
    /** The last inline writer's lazy-flag operation, or 0 when the flags come from elsewhere. */
    private int op;
    private int size;

    Conditions(MethodVisitor mv) { this.mv = mv; }

    /** An inline instruction left its flags' inputs in DST, SRC, RES. */
    void written(int flagsOp, int opSize) {
        op = flagsOp;
        size = opSize;
    }

    /** Something else (the interpreter) may have changed the flags. */
    void forget() { op = 0; }

    /** Jumps to ifFalse when condition cc does not hold, falls through when it does. */
    void branchUnless(int cc, Label ifFalse, int cpuLocal) {
        boolean negate = (cc & 1) != 0;
        int test = cc >> 1;
        if (op != 0 && test == 2) { // Z
            compareResWithZero();
            mv.visitJumpInsn(negate ? IFEQ : IFNE, ifFalse);
        } else if (op != 0 && test == 4) { // S
            signOfRes();
            mv.visitJumpInsn(negate ? IFNE : IFEQ, ifFalse);
        } else if (op == BlockShape.FLAGS_SUB && (test == 1 || test == 3)) { // B, BE: unsigned dst < (<=) src
            mv.visitVarInsn(LLOAD, DST);
            flipSign();
            mv.visitVarInsn(LLOAD, SRC);
            flipSign();
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(negate ? (test == 1 ? IFLT : IFLE) : (test == 1 ? IFGE : IFGT), ifFalse);
        } else if (op == BlockShape.FLAGS_SUB && (test == 6 || test == 7)) { // L, LE: signed
            signed(DST);
            signed(SRC);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(negate ? (test == 6 ? IFLT : IFLE) : (test == 6 ? IFGE : IFGT), ifFalse);
        } else if (op == BlockShape.FLAGS_LOGIC && (test == 0 || test == 1)) { // O, B: always clear after logic
            if (!negate) mv.visitJumpInsn(GOTO, ifFalse);
        } else if (op == BlockShape.FLAGS_LOGIC && (test == 3 || test == 6 || test == 7)) { // BE = Z, L = S, LE = Z|S
            if (test == 6) {
                signOfRes();
                mv.visitJumpInsn(negate ? IFNE : IFEQ, ifFalse);
            } else if (test == 3) {
                compareResWithZero();
                mv.visitJumpInsn(negate ? IFEQ : IFNE, ifFalse);
            } else { // res == 0 or its sign set: as a signed value of size, res <= 0
                signed(RES);
                mv.visitInsn(LCONST_0);
                mv.visitInsn(LCMP);
                mv.visitJumpInsn(negate ? IFLE : IFGT, ifFalse);
            }
        } else {
            mv.visitVarInsn(ALOAD, cpuLocal);
            push(cc);
            mv.visitMethodInsn(INVOKESTATIC, JvmBlockTranslator.BASE, "cond",
                    "(L" + JvmBlockTranslator.CPU + ";I)Z", false);
            mv.visitJumpInsn(IFEQ, ifFalse);
        }
    }

    private void compareResWithZero() {
        mv.visitVarInsn(LLOAD, RES);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
    }

    /** Pushes an int that is non-zero when the result's sign bit (of size) is set. */
    private void signOfRes() {
        mv.visitVarInsn(LLOAD, RES);
        mv.visitLdcInsn(size * 8 - 1);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IAND);
    }

    /** Pushes the local's value sign-extended from the operand size. */
    private void signed(int local) {
        mv.visitVarInsn(LLOAD, local);
        if (size == 4) {
            mv.visitInsn(L2I);
            mv.visitInsn(I2L);
        } else if (size != 8) {
            throw new IllegalStateException("operand size " + size);
        }
    }

    private void flipSign() {
        mv.visitLdcInsn(Long.MIN_VALUE);
        mv.visitInsn(LXOR);
    }

    private void push(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v); else mv.visitIntInsn(BIPUSH, v);
    }
}
