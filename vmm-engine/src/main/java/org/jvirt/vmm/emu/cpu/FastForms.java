package org.jvirt.vmm.emu.cpu;

/**
 * Dispatch resolved when a block is decoded: the commonest register-only 32/64-bit forms (ALU
 * reg,reg and reg,imm, MOV reg,reg and reg,imm) and 64-bit mode's relative Jcc/JMP (target
 * computed and checked for canonical form once) get a {@link Insn#fast} kind that the block
 * runner executes in a few lines instead of going through the opcode switch. Everything else
 * (memory operands, 8/16-bit forms) keeps kind NONE and the general path. Same
 * results and lazy flags as {@link CpuOps#execute}; none of them can fault.
 *
 * <p>Also LEA, shifts by a constant, MOVSXD, CMOVcc, IMUL and MOVZX/MOVSX between registers,
 * SETcc to a register, and MOV between a 32/64-bit register and memory (negative kinds: they may
 * fault, so the block runner runs them inside its fault handling). The memory forms cost C2 more
 * warm-up (a short int-mix run takes ~1.5 s more CPU) but run faster once compiled.
 *
 * <p>ADD, OR, AND, SUB, XOR, CMP and TEST each have a kind of their own, and skip recording
 * their lazy flags ({@link Insn#fastFlags} false) when a later instruction of the same block
 * replaces them before anything can read them ({@link #markFlagUse}).
 */
final class FastForms {
    static final int NONE = 0, MOV_RR = 1, MOV_RI = 2;
    /** 64-bit mode Jcc/JMP rel8/rel32 with a canonical target (fastImm), condition fastAlu (ALWAYS: JMP). */
    static final int JUMP = 3;
    /** ADC and SBB (they read CF): through {@link CpuAlu#alu} with operation fastAlu. */
    static final int ALU_RR = 4, ALU_RI = 5;
    /** LEA reg, mem (address only: no access, no fault). */
    static final int LEA = 6;
    /** SHL/SHR/SAR reg by a constant count that is not 0 after masking (fastAlu: the group-2 operation, fastImm: count). */
    static final int SHIFT_RI = 7;
    /** MOVSXD reg, reg (64-bit mode) and CMOVcc reg, reg (condition fastAlu): register moves kept in a second helper. */
    static final int MOVSXD = 21, CMOV = 22;
    /**
     * Also in the second helper: IMUL reg, reg (0F AF) and IMUL reg, reg, imm (69/6B; fastImm the
     * masked immediate); MOVZX/MOVSX reg, reg8/reg16 (fastAlu the source size, fastImm the
     * source's shift: 8 for AH..BH); SETcc reg8 (fastDst the array index of the register holding
     * the byte, fastImm its shift, fastAlu the condition).
     */
    static final int IMUL_RR = 23, IMUL_RI = 24, MOVZX = 25, MOVSX = 26, SETCC = 27;
    /**
     * Negative kinds may fault: the block runner runs them inside its fault handling. MOV
     * reg32/64, mem (fastDst the register) and MOV mem, reg32/64 (fastSrc the register).
     */
    static final int LOAD = -1, STORE = -2;
    /** Odd: the source is fastImm (the block runner relies on the pairs, on CMP and TEST coming last, and on what follows TEST). */
    static final int ADD_RR = 8, ADD_RI = 9, OR_RR = 10, OR_RI = 11, AND_RR = 12, AND_RI = 13, SUB_RR = 14, SUB_RI = 15,
            XOR_RR = 16, XOR_RI = 17, CMP_RR = 18, CMP_RI = 19, TEST_RR = 20;

    static final int ALWAYS = 16;

    /** By ALU operation (ADD OR ADC SBB AND SUB XOR CMP): the reg,reg and reg,imm kinds. */
    private static final int[] RR = {ADD_RR, OR_RR, ALU_RR, ALU_RR, AND_RR, SUB_RR, XOR_RR, CMP_RR};
    private static final int[] RI = {ADD_RI, OR_RI, ALU_RI, ALU_RI, AND_RI, SUB_RI, XOR_RI, CMP_RI};

    private FastForms() { }

    static void classify(Insn d, boolean mode64) {
        d.fast = NONE;
        d.fastFlags = true;
        int op = d.op, os = d.opSize;
        if (mode64 && os != 2 && !d.lock) {
            boolean short8 = op >= 0x70 && op <= 0x7f || op == 0xeb;
            if (short8 || op >= 0x180 && op <= 0x18f || op == 0xe9) {
                long target = d.nextRip + (short8 ? (byte) d.imm : (int) d.imm);
                if (CpuCore.canonical(target)) set(d, JUMP, 0, 0, op == 0xeb || op == 0xe9 ? ALWAYS : op & 15, target);
                return;
            }
        }
        if (d.lock) return;
        if (!d.mem && op >= 0x190 && op <= 0x19f) {
            byteReg(d, SETCC, d.rm, op & 15);
            return;
        }
        if (os != 4 && os != 8) return;
        if (d.mem) {
            if (op == 0x8d) set(d, LEA, d.reg, 0, 0, 0);
            else if (op == 0x8b) set(d, LOAD, d.reg, 0, 0, 0);
            else if (op == 0x89) set(d, STORE, 0, d.reg, 0, 0);
            return;
        }
        if (op == 0x63 && mode64) {
            set(d, MOVSXD, d.reg, d.rm, 0, 0);
            return;
        }
        if (op == 0x1af) {
            set(d, IMUL_RR, d.reg, d.rm, 0, 0);
            return;
        }
        if (op == 0x69 || op == 0x6b) {
            long imm = op == 0x6b ? (long) (byte) d.imm : os == 8 ? (long) (int) d.imm : d.imm;
            set(d, IMUL_RI, d.reg, d.rm, 0, imm & LazyFlags.mask(os));
            return;
        }
        if (op == 0x1b7 || op == 0x1bf) {
            set(d, op == 0x1b7 ? MOVZX : MOVSX, d.reg, d.rm, 2, 0);
            return;
        }
        if (op == 0x1b6 || op == 0x1be) {
            byteReg(d, op == 0x1b6 ? MOVZX : MOVSX, d.rm, 1);
            d.fastSrc = d.fastDst;
            d.fastDst = d.reg;
            return;
        }
        if (op >= 0x140 && op <= 0x14f) {
            set(d, CMOV, d.reg, d.rm, op & 15, 0);
            return;
        }
        if (op == 0xc1 || op == 0xd1) {
            int count = (op == 0xd1 ? 1 : (int) d.imm) & (os == 8 ? 0x3f : 0x1f);
            if ((d.reg & 7) >= 4 && count != 0) set(d, SHIFT_RI, d.rm, 0, d.reg & 7, count);
            return;
        }
        if (op < 0x40 && ((op & 7) == 1 || (op & 7) == 3)) {
            int aop = (op >> 3) & 7;
            boolean toRm = (op & 7) == 1;
            set(d, RR[aop], toRm ? d.rm : d.reg, toRm ? d.reg : d.rm, aop, 0);
        } else if (op == 0x85) { // TEST r/m, reg: AND without a write
            set(d, TEST_RR, d.rm, d.reg, 0, 0);
        } else if (op == 0x81 || op == 0x83) {
            int aop = d.reg & 7;
            long imm = op == 0x81 ? (os == 8 ? (long) (int) d.imm : d.imm) : (long) (byte) d.imm;
            set(d, RI[aop], d.rm, 0, aop, imm & LazyFlags.mask(os));
        } else if (op == 0x89) {
            set(d, MOV_RR, d.rm, d.reg, 0, 0);
        } else if (op == 0x8b) {
            set(d, MOV_RR, d.reg, d.rm, 0, 0);
        } else if (op >= 0xb8 && op <= 0xbf) {
            set(d, MOV_RI, (op & 7) | ((d.rex & 1) << 3), 0, 0, d.imm & LazyFlags.mask(os));
        }
    }

    /**
     * Flag liveness over a block's n instructions, backwards: an ADD/OR/AND/SUB/XOR/CMP/TEST
     * (or IMUL) whose six status flags are all replaced by a later one before a jump, an ADC/SBB or any
     * general-path instruction (which may read them or fault with them visible) need not record
     * them. After the block they are live (interrupts and the next block may read them).
     */
    static void markFlagUse(Insn[] insns, int n) {
        boolean live = true;
        for (int k = n - 1; k >= 0; k--) {
            Insn d = insns[k];
            int f = d.fast;
            if (f >= ADD_RR && f <= TEST_RR || f == IMUL_RR || f == IMUL_RI) {
                d.fastFlags = live;
                live = false;
            } else if (f == SHIFT_RI) {
                d.fastFlags = live; // when recording, it keeps AF from before: liveness passes through
            } else if (f != MOV_RR && f != MOV_RI && f != LEA && f != MOVSXD && f != MOVZX && f != MOVSX) {
                live = true; // reads them (JUMP, CMOVcc, ADC/SBB), or may read them or fault with them visible (general path)
            }
        }
    }

    /**
     * A form whose r/m operand is the byte register rm: without REX, 4..7 are AH, CH, DH, BH
     * (bits 8..15 of registers 0..3). fastDst: the register array index, fastImm: the shift.
     */
    private static void byteReg(Insn d, int kind, int rm, int alu) {
        boolean high = d.rex == 0 && rm >= 4 && rm < 8;
        set(d, kind, high ? rm - 4 : rm, 0, alu, high ? 8 : 0);
    }

    private static void set(Insn d, int kind, int dst, int src, int alu, long imm) {
        d.fast = kind;
        d.fastDst = dst;
        d.fastSrc = src;
        d.fastAlu = alu;
        d.fastImm = imm;
    }
}
