package org.jvirt.vmm.emu.cpu;

/**
 * Dispatch resolved when a block is decoded: the commonest register-only 32/64-bit forms (ALU
 * reg,reg and reg,imm, MOV reg,reg and reg,imm) and 64-bit mode's relative Jcc/JMP (target
 * computed and checked for canonical form once) get a {@link Insn#fast} kind that the block
 * runner executes in a few lines instead of going through the opcode switch. Everything else
 * (memory operands, 8/16-bit forms) keeps kind NONE and the general path. Same
 * results and lazy flags as {@link CpuOps#execute}; none of them can fault.
 */
final class FastForms {
    static final int NONE = 0, ALU_RR = 1, ALU_RI = 2, MOV_RR = 3, MOV_RI = 4;
    /** 64-bit mode Jcc/JMP rel8/rel32 with a canonical target (fastImm), condition fastAlu (ALWAYS: JMP). */
    static final int JUMP = 5;
    static final int ALWAYS = 16;

    private FastForms() { }

    static void classify(Insn d, boolean mode64) {
        d.fast = NONE;
        int op = d.op, os = d.opSize;
        if (mode64 && os != 2 && !d.lock) {
            boolean short8 = op >= 0x70 && op <= 0x7f || op == 0xeb;
            if (short8 || op >= 0x180 && op <= 0x18f || op == 0xe9) {
                long target = d.nextRip + (short8 ? (byte) d.imm : (int) d.imm);
                if (CpuCore.canonical(target)) set(d, JUMP, 0, 0, op == 0xeb || op == 0xe9 ? ALWAYS : op & 15, target);
                return;
            }
        }
        if (d.lock || d.mem || (os != 4 && os != 8)) return;
        if (op < 0x40 && ((op & 7) == 1 || (op & 7) == 3)) {
            int aop = (op >> 3) & 7;
            boolean toRm = (op & 7) == 1;
            set(d, ALU_RR, toRm ? d.rm : d.reg, toRm ? d.reg : d.rm, aop, 0);
        } else if (op == 0x85) { // TEST r/m, reg: AND without a write
            set(d, ALU_RR, d.rm, d.reg, 4 | 8, 0);
        } else if (op == 0x81 || op == 0x83) {
            int aop = d.reg & 7;
            long imm = op == 0x81 ? (os == 8 ? (long) (int) d.imm : d.imm) : (long) (byte) d.imm;
            set(d, ALU_RI, d.rm, 0, aop, imm & LazyFlags.mask(os));
        } else if (op == 0x89) {
            set(d, MOV_RR, d.rm, d.reg, 0, 0);
        } else if (op == 0x8b) {
            set(d, MOV_RR, d.reg, d.rm, 0, 0);
        } else if (op >= 0xb8 && op <= 0xbf) {
            set(d, MOV_RI, (op & 7) | ((d.rex & 1) << 3), 0, 0, d.imm & LazyFlags.mask(os));
        }
    }

    private static void set(Insn d, int kind, int dst, int src, int alu, long imm) {
        d.fast = kind;
        d.fastDst = dst;
        d.fastSrc = src;
        d.fastAlu = alu;
        d.fastImm = imm;
    }
}
