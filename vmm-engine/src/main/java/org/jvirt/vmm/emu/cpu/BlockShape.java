package org.jvirt.vmm.emu.cpu;

/**
 * What a {@link BlockTranslator} may know of a {@link CodeBlock}: per instruction its
 * {@link FastForms} kind (0 = general: only {@link CompiledBlock#step} can run it) with the
 * pre-resolved registers, ALU operation, immediate and operand size, whether its flags are live,
 * and a LEA's address parts. A view over the block, valid only during {@link BlockTranslator#translate}.
 */
public final class BlockShape {
    public static final int GENERAL = FastForms.NONE, MOV_RR = FastForms.MOV_RR, MOV_RI = FastForms.MOV_RI,
            JUMP = FastForms.JUMP, LEA = FastForms.LEA, SHIFT_RI = FastForms.SHIFT_RI, MOVSXD = FastForms.MOVSXD,
            CMOV = FastForms.CMOV, ALU_RR = FastForms.ALU_RR, ALU_RI = FastForms.ALU_RI, IMUL_RR = FastForms.IMUL_RR, IMUL_RI = FastForms.IMUL_RI, MOVZX = FastForms.MOVZX,
            MOVSX = FastForms.MOVSX, SETCC = FastForms.SETCC,
            ADD_RR = FastForms.ADD_RR, ADD_RI = FastForms.ADD_RI, OR_RR = FastForms.OR_RR, OR_RI = FastForms.OR_RI,
            AND_RR = FastForms.AND_RR, AND_RI = FastForms.AND_RI, SUB_RR = FastForms.SUB_RR, SUB_RI = FastForms.SUB_RI,
            XOR_RR = FastForms.XOR_RR, XOR_RI = FastForms.XOR_RI, CMP_RR = FastForms.CMP_RR, CMP_RI = FastForms.CMP_RI,
            TEST_RR = FastForms.TEST_RR;
    /** JUMP's condition for an unconditional jump. */
    public static final int ALWAYS = FastForms.ALWAYS;
    /** Lazy-flag operations for {@link CompiledBlock#flags}. */
    public static final int FLAGS_ADD = LazyFlags.ADD, FLAGS_SUB = LazyFlags.SUB, FLAGS_LOGIC = LazyFlags.LOGIC;

    private final CodeBlock block;

    BlockShape(CodeBlock block) { this.block = block; }

    public int count() { return block.count; }

    /** The address after the last instruction. */
    public long endRip() { return block.endRip; }

    public int kind(int k) { return insn(k).fast; }

    public int dst(int k) { return insn(k).fastDst; }

    public int src(int k) { return insn(k).fastSrc; }

    /** The ALU operation (0..7: ADD OR ADC SBB AND SUB XOR CMP), shift operation, condition code, or MOVZX/MOVSX source size (see {@link FastForms}). */
    public int alu(int k) { return insn(k).fastAlu; }

    public long imm(int k) { return insn(k).fastImm; }

    public int opSize(int k) { return insn(k).opSize; }

    public boolean flagsLive(int k) { return insn(k).fastFlags; }

    public long nextRip(int k) { return insn(k).nextRip; }

    // a LEA's (or any memory operand's) offset: disp (+ nextRip if RIP-relative) + base + (index << scale), masked to addrSize

    public int base(int k) { return insn(k).base; }

    public int index(int k) { return insn(k).index; }

    public int scale(int k) { return insn(k).scale; }

    public long disp(int k) { return insn(k).disp; }

    public boolean ripRelative(int k) { return insn(k).ripRelative; }

    public int addrSize(int k) { return insn(k).addrSize; }

    private Insn insn(int k) {
        if (k < 0 || k >= block.count) throw new IndexOutOfBoundsException(k);
        return block.insns[k];
    }
}
