package org.jvirt.vmm.emu.cpu;

/**
 * A {@link CodeBlock} compiled by a {@link BlockTranslator}. {@link #run} has exactly the effect
 * of the block runner's loop over the block's instructions: registers, lazy flags, memory, and
 * RIP left at the block's end (or the jump's target); whatever it does not do itself it hands
 * to {@link #step} (the interpreter's path for one instruction, with its fault handling), whose
 * result it must return at once when that is not {@link #CONTINUE}. The protected helpers are the
 * only core entry points generated code uses.
 */
public abstract class CompiledBlock {
    /** From {@link #step}: go on with the next instruction. From {@link #run}: the block ran to its end. */
    public static final int CONTINUE = Integer.MIN_VALUE;

    protected CompiledBlock() { }

    /**
     * Runs the block on cpu, whose general registers are r: {@link #CONTINUE} when it ran to its
     * end, else what the interpreter's block runner returns when it stops early (instructions
     * consumed, retired counted; -1 on shutdown).
     */
    public abstract int run(X86Cpu cpu, long[] r, CpuState st);

    /**
     * The block's k-th instruction through the interpreter (registers in r must be current):
     * {@link #CONTINUE}, or the result the block must return now (a fault was delivered, or a
     * store changed the block's own code).
     */
    protected static int step(X86Cpu cpu, int k) { return cpu.stepInBlock(k); }

    /** Condition code cc from the current (lazy) flags. */
    protected static boolean cond(X86Cpu cpu, int cc) { return cpu.cond(cc); }

    /** The interpreter's ALU operation op (0..7: ADD OR ADC SBB AND SUB XOR CMP) on masked operands, flags recorded. */
    protected static long alu(X86Cpu cpu, int op, long dst, long src, int size) { return cpu.alu(op, dst, src, size); }

    /** The interpreter's group-2 shift op of the masked v by count, flags recorded. */
    protected static long shift(X86Cpu cpu, int op, long v, int count, int size) { return cpu.shift(op, v, count, size); }

    /** The interpreter's two/three-operand IMUL of masked operands, flags recorded. */
    protected static long imul(X86Cpu cpu, long a, long b, int size) { return cpu.imul(a, b, size); }

    /** Records lazy flags: op one of {@link BlockShape#FLAGS_ADD}, FLAGS_SUB, FLAGS_LOGIC; values masked to size. */
    protected static void flags(CpuState st, int op, int size, long dst, long src, long res) { st.lazy(op, size, dst, src, res); }
}
