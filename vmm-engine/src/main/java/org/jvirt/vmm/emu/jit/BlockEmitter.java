package org.jvirt.vmm.emu.jit;

import org.jvirt.vmm.emu.cpu.BlockShape;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.jvirt.vmm.emu.cpu.BlockShape.*;
import static org.objectweb.asm.Opcodes.*;

/**
 * Emits the body of a translated block's {@code run(cpu, r, st)}: the register-only integer
 * forms ({@link BlockShape} kinds: MOV, ALU with lazy flags, LEA, shifts and IMUL (plain
 * arithmetic when their flags are dead), MOVSXD/MOVZX/MOVSX, CMOVcc, SETcc, Jcc/JMP; ADC/SBB and
 * shifts/IMUL with live flags through the interpreter's ALU helpers) as straight-line bytecode
 * on registers held in locals, and every other instruction (memory accesses, anything that may
 * fault) as a call to the interpreter's step for that instruction, returning at once when it
 * says the block stops there.
 */
final class BlockEmitter {
    private static final int CPU = 1, STATE = 3;
    /** The int local holding the index of the instruction the shared step site runs. */
    private static final int STEP_INDEX = Conditions.RES + 2;

    private final MethodVisitor mv;
    private final BlockShape b;
    private final RegisterLocals regs;
    private final Conditions conds;
    private final Label stepSite = new Label();
    private final java.util.List<Integer> stepIndices = new java.util.ArrayList<>();
    private final java.util.List<Label> resumeLabels = new java.util.ArrayList<>();

    BlockEmitter(MethodVisitor mv, BlockShape b) {
        this.mv = mv;
        this.b = b;
        this.regs = new RegisterLocals(mv);
        this.conds = new Conditions(mv);
    }

    /** Whether kind is emitted inline (given whether its flags are live). */
    static boolean inline(int kind, boolean flagsLive) {
        return switch (kind) {
            case MOV_RR, MOV_RI, JUMP, LEA, MOVSXD, CMOV, MOVZX, MOVSX, SETCC, SHIFT_RI, IMUL_RR, IMUL_RI, ALU_RR, ALU_RI -> true;
            default -> kind >= ADD_RR && kind <= TEST_RR;
        };
    }

    void emit() {
        int n = b.count();
        boolean lastInline = false;
        for (int k = 0; k < n; k++) {
            int kind = b.kind(k);
            lastInline = inline(kind, b.flagsLive(k));
            if (!lastInline) {
                step(k);
            } else if (kind == JUMP) { // only ever the last instruction
                regs.flush();
                jump(k);
            } else {
                instruction(k, kind);
            }
        }
        regs.flush();
        if (lastInline && b.kind(n - 1) != JUMP) setRip(b.endRip()); // an interpreted last one set RIP itself
        push(org.jvirt.vmm.emu.cpu.CompiledBlock.CONTINUE);
        mv.visitInsn(IRETURN);
        stepSite();
    }

    private void instruction(int k, int kind) {
        int size = b.opSize(k), dst = b.dst(k), src = b.src(k);
        switch (kind) {
            case MOV_RR -> { regs.load(src); mask(size); regs.store(dst); }
            case MOV_RI -> { mv.visitLdcInsn(b.imm(k)); regs.store(dst); }
            case LEA -> { lea(k); mask(size); regs.store(dst); }
            case SHIFT_RI -> { shift(k); regs.store(dst); conds.forget(); }
            case ALU_RR, ALU_RI -> { // ADC, SBB: through the interpreter's ALU (they read CF)
                mv.visitVarInsn(ALOAD, CPU);
                push(b.alu(k));
                regs.load(dst);
                mask(size);
                if (kind == ALU_RI) mv.visitLdcInsn(b.imm(k)); else { regs.load(src); mask(size); }
                push(size);
                mv.visitMethodInsn(INVOKESTATIC, JvmBlockTranslator.BASE, "alu", "(L" + JvmBlockTranslator.CPU + ";IJJI)J", false);
                regs.store(dst);
                conds.forget();
            }
            case MOVSXD -> { regs.load(src); mv.visitInsn(L2I); mv.visitInsn(I2L); mask(size); regs.store(dst); }
            case MOVZX, MOVSX -> { extend(k, kind == MOVSX); mask(size); regs.store(dst); }
            case IMUL_RR, IMUL_RI -> {
                boolean flags = b.flagsLive(k);
                if (flags) mv.visitVarInsn(ALOAD, CPU);
                regs.load(kind == IMUL_RI ? src : dst);
                mask(size);
                if (kind == IMUL_RI) mv.visitLdcInsn(b.imm(k)); else { regs.load(src); mask(size); }
                if (flags) {
                    push(size);
                    mv.visitMethodInsn(INVOKESTATIC, JvmBlockTranslator.BASE, "imul", "(L" + JvmBlockTranslator.CPU + ";JJI)J", false);
                } else {
                    mv.visitInsn(LMUL);
                    mask(size);
                }
                regs.store(dst);
                conds.forget();
            }
            case CMOV -> {
                regs.ensureLoaded(src);
                regs.ensureLoaded(dst);
                Label no = new Label(), done = new Label();
                conds.branchUnless(b.alu(k), no, CPU);
                regs.load(src);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(no);
                regs.load(dst);
                mv.visitLabel(done);
                mask(size); // a false condition still zero-extends a 32-bit destination
                regs.store(dst);
            }
            case SETCC -> {
                int shift = (int) b.imm(k);
                regs.load(dst);
                mv.visitLdcInsn(~(0xffL << shift));
                mv.visitInsn(LAND);
                Label no = new Label(), done = new Label();
                conds.branchUnless(b.alu(k), no, CPU);
                mv.visitLdcInsn(1L << shift);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(no);
                mv.visitInsn(LCONST_0);
                mv.visitLabel(done);
                mv.visitInsn(LOR);
                regs.store(dst);
            }
            default -> alu(k, kind, size, dst, src);
        }
    }

    /** ADD/OR/AND/SUB/XOR/CMP/TEST, register or immediate source: the values go to the condition locals. */
    private void alu(int k, int kind, int size, int dst, int src) {
        regs.load(dst);
        mask(size);
        mv.visitVarInsn(LSTORE, Conditions.DST);
        if ((kind & 1) != 0) mv.visitLdcInsn(b.imm(k)); else { regs.load(src); mask(size); }
        mv.visitVarInsn(LSTORE, Conditions.SRC);
        mv.visitVarInsn(LLOAD, Conditions.DST);
        mv.visitVarInsn(LLOAD, Conditions.SRC);
        int op;
        switch (kind >> 1) {
            case ADD_RR >> 1 -> { mv.visitInsn(LADD); mask(size); op = FLAGS_ADD; }
            case SUB_RR >> 1, CMP_RR >> 1 -> { mv.visitInsn(LSUB); mask(size); op = FLAGS_SUB; }
            case OR_RR >> 1 -> { mv.visitInsn(LOR); op = FLAGS_LOGIC; }
            case XOR_RR >> 1 -> { mv.visitInsn(LXOR); op = FLAGS_LOGIC; }
            default -> { mv.visitInsn(LAND); op = FLAGS_LOGIC; } // AND, TEST
        }
        mv.visitVarInsn(LSTORE, Conditions.RES);
        if (b.flagsLive(k)) {
            mv.visitVarInsn(ALOAD, STATE);
            push(op);
            push(size);
            mv.visitVarInsn(LLOAD, Conditions.DST);
            mv.visitVarInsn(LLOAD, Conditions.SRC);
            mv.visitVarInsn(LLOAD, Conditions.RES);
            mv.visitMethodInsn(INVOKESTATIC, JvmBlockTranslator.BASE, "flags",
                    "(L" + JvmBlockTranslator.STATE + ";IIJJJ)V", false);
        }
        conds.written(op, size);
        if (kind < CMP_RR) { // CMP and TEST only set flags
            mv.visitVarInsn(LLOAD, Conditions.RES);
            regs.store(dst);
        }
    }

    /** disp (+ next RIP) + base + (index << scale), masked to the address size. */
    private void lea(int k) {
        mv.visitLdcInsn(b.disp(k) + (b.ripRelative(k) ? b.nextRip(k) : 0));
        if (b.base(k) >= 0) { regs.load(b.base(k)); mv.visitInsn(LADD); }
        if (b.index(k) >= 0) {
            regs.load(b.index(k));
            if (b.scale(k) != 0) { push(b.scale(k)); mv.visitInsn(LSHL); }
            mv.visitInsn(LADD);
        }
        mask(b.addrSize(k));
    }

    /** SHL/SHR/SAR by a non-zero constant: plain bytecode when its flags are dead, else the interpreter's shift. */
    private void shift(int k) {
        int size = b.opSize(k), count = (int) b.imm(k), op = b.alu(k);
        if (b.flagsLive(k)) {
            mv.visitVarInsn(ALOAD, CPU);
            push(op);
            regs.load(b.dst(k));
            mask(size);
            push(count);
            push(size);
            mv.visitMethodInsn(INVOKESTATIC, JvmBlockTranslator.BASE, "shift", "(L" + JvmBlockTranslator.CPU + ";IJII)J", false);
            return;
        }
        regs.load(b.dst(k));
        if (op == 7) { // SAR: from the sign of the operand size
            if (size == 4) { mv.visitInsn(L2I); mv.visitInsn(I2L); }
            push(count);
            mv.visitInsn(LSHR);
        } else {
            mask(size);
            push(count);
            mv.visitInsn(op == 5 ? LUSHR : LSHL);
        }
        mask(size);
    }

    /** MOVZX/MOVSX from a byte (AH..BH: shifted) or word register. */
    private void extend(int k, boolean signed) {
        regs.load(b.src(k));
        int shift = (int) b.imm(k);
        if (shift != 0) { push(shift); mv.visitInsn(LUSHR); }
        if (signed) {
            mv.visitInsn(L2I);
            mv.visitInsn(b.alu(k) == 1 ? I2B : I2S);
            mv.visitInsn(I2L);
        } else {
            mv.visitLdcInsn(b.alu(k) == 1 ? 0xffL : 0xffffL);
            mv.visitInsn(LAND);
        }
    }

    /** The block's last instruction, a Jcc/JMP: RIP becomes the target or the next instruction. */
    private void jump(int k) {
        int cc = b.alu(k);
        if (cc == ALWAYS) {
            setRip(b.imm(k));
            return;
        }
        Label no = new Label(), done = new Label();
        conds.branchUnless(cc, no, CPU);
        setRip(b.imm(k));
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(no);
        setRip(b.nextRip(k));
        mv.visitLabel(done);
    }

    /**
     * The interpreter runs instruction k: registers go back to the array first and are read again
     * after. All of a block's steps share one call site (the instruction's index in a local, a
     * switch back to where the block goes on): HotSpot inlines the interpreter's path into each
     * call site, and one copy per block keeps the compiled blocks small and quick to compile.
     */
    private void step(int k) {
        regs.flush();
        push(k);
        mv.visitVarInsn(ISTORE, STEP_INDEX);
        mv.visitJumpInsn(GOTO, stepSite);
        Label resume = new Label();
        stepIndices.add(k);
        resumeLabels.add(resume);
        mv.visitLabel(resume);
        regs.forget();
        conds.forget();
    }

    /** The shared call of the interpreter's step (after the block's final return). */
    private void stepSite() {
        if (stepIndices.isEmpty()) return;
        mv.visitLabel(stepSite);
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitVarInsn(ILOAD, STEP_INDEX);
        mv.visitMethodInsn(INVOKESTATIC, JvmBlockTranslator.BASE, "step", "(L" + JvmBlockTranslator.CPU + ";I)I", false);
        mv.visitInsn(DUP);
        push(org.jvirt.vmm.emu.cpu.CompiledBlock.CONTINUE);
        Label go = new Label();
        mv.visitJumpInsn(IF_ICMPEQ, go);
        mv.visitInsn(IRETURN);
        mv.visitLabel(go);
        mv.visitInsn(POP);
        if (stepIndices.size() == 1) {
            mv.visitJumpInsn(GOTO, resumeLabels.get(0));
            return;
        }
        int[] keys = stepIndices.stream().mapToInt(Integer::intValue).toArray();
        mv.visitVarInsn(ILOAD, STEP_INDEX);
        mv.visitLookupSwitchInsn(resumeLabels.get(0), keys, resumeLabels.toArray(new Label[0]));
    }

    private void setRip(long rip) {
        mv.visitVarInsn(ALOAD, STATE);
        mv.visitLdcInsn(rip);
        mv.visitFieldInsn(PUTFIELD, JvmBlockTranslator.STATE, "rip", "J");
    }

    /** Zero-extends the long on the stack from size bytes (nothing for 8). */
    private void mask(int size) {
        if (size == 8) return;
        mv.visitLdcInsn(size == 4 ? 0xffffffffL : size == 2 ? 0xffffL : 0xffL);
        mv.visitInsn(LAND);
    }

    private void push(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else mv.visitLdcInsn(v);
    }
}
