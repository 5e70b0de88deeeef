package org.jvirt.vmm.emu.jit;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The guest's 16 general registers kept in JVM locals while a translated block runs: each is
 * read from the register array on first use and written back only when it changed, before
 * anything that works on the array (the interpreter's step, the block's end). Generation-time
 * bookkeeping only: the generated code has no trace of it but plain LLOAD/LSTORE.
 */
final class RegisterLocals {
    /** The register array's local (the run method's second parameter). */
    static final int ARRAY = 2;
    /** First register's local: longs, two slots each. */
    private static final int FIRST = 4;
    /** The first local free for the generator's own temporaries. */
    static final int END = FIRST + 2 * 16;

    private final MethodVisitor mv;
    private final boolean[] loaded = new boolean[16], dirty = new boolean[16];

    RegisterLocals(MethodVisitor mv) { this.mv = mv; }

    /** Pushes register i's full 64-bit value. */
    void load(int i) {
        ensureLoaded(i);
        mv.visitVarInsn(Opcodes.LLOAD, slot(i));
    }

    /** Pops a long into register i (the caller has applied the operand size's zero-extension). */
    void store(int i) {
        mv.visitVarInsn(Opcodes.LSTORE, slot(i));
        loaded[i] = true;
        dirty[i] = true;
    }

    /** Makes sure register i is in its local (before a branch, so both paths see it initialised). */
    void ensureLoaded(int i) {
        if (loaded[i]) return;
        mv.visitVarInsn(Opcodes.ALOAD, ARRAY);
        push(i);
        mv.visitInsn(Opcodes.LALOAD);
        mv.visitVarInsn(Opcodes.LSTORE, slot(i));
        loaded[i] = true;
    }

    /** Writes the changed registers back to the array. */
    void flush() {
        for (int i = 0; i < 16; i++) {
            if (!dirty[i]) continue;
            mv.visitVarInsn(Opcodes.ALOAD, ARRAY);
            push(i);
            mv.visitVarInsn(Opcodes.LLOAD, slot(i));
            mv.visitInsn(Opcodes.LASTORE);
            dirty[i] = false;
        }
    }

    /** After the interpreter ran: the array is the truth, every local must be read again. */
    void forget() {
        java.util.Arrays.fill(loaded, false);
        java.util.Arrays.fill(dirty, false);
    }

    private void push(int i) {
        if (i <= 5) mv.visitInsn(Opcodes.ICONST_0 + i); else mv.visitIntInsn(Opcodes.BIPUSH, i);
    }

    private static int slot(int i) { return FIRST + 2 * i; }
}
