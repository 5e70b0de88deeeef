package org.jvirt.vmm.emu.cpu;

/**
 * Which decoded instructions may be followed by another in the same {@link CodeBlock}: the
 * general-purpose data instructions (ALU, moves, stack pushes and pops, shifts, multiply and
 * divide, bit operations, CMOVcc/SETcc...). They may fault (the CPU rolls back the faulting one
 * and ends the block) but cannot change CS, the mode, paging, CR0/CR4, RFLAGS.IF/TF/AC, the
 * interrupt shadow or RIP other than by falling through. Everything else (branches, system and
 * string instructions, x87/SSE, LOCK and XCHG with memory) ends a block or is left to the
 * per-instruction path.
 */
final class BlockRules {
    private BlockRules() { }

    /** Whether the block builder must stop before d (it needs the per-instruction path's bus lock). */
    static boolean needsStep(Insn d) {
        return d.lock || (d.mem && (d.op == 0x86 || d.op == 0x87));
    }

    /**
     * Near jumps, calls and returns (relative Jcc/JMP/CALL, LOOP/JCXZ, RET, RET imm16): they end
     * a block but, when they complete, leave CS, the mode, paging, the CPL and RFLAGS alone, so the
     * block after them can be chained to without a new lookup.
     */
    static boolean nearBranch(Insn d) {
        int op = d.op;
        return op >= 0x70 && op <= 0x7f || op >= 0x180 && op <= 0x18f || op >= 0xe0 && op <= 0xe3
                || op == 0xe8 || op == 0xe9 || op == 0xeb || op == 0xc2 || op == 0xc3;
    }

    static boolean continuesBlock(Insn d, boolean mode64) {
        int op = d.op;
        if (op < 0x40) return (op & 7) < 6; // ALU r/m, reg, imm forms
        if (op < 0x60) return true; // INC/DEC r (never decoded in 64-bit mode: REX), PUSH/POP r
        if (op < 0x100) {
            int reg = d.reg & 7;
            return switch (op) {
                case 0x63 -> mode64; // MOVSXD (ARPL outside 64-bit mode)
                case 0x68, 0x69, 0x6a, 0x6b, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b,
                        0x8d, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9e, 0x9f, 0xa8, 0xa9,
                        0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
                        0xc0, 0xc1, 0xc6, 0xc7, 0xc9, 0xd0, 0xd1, 0xd2, 0xd3, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfc, 0xfd,
                        0xfe -> true;
                case 0xff -> reg == 0 || reg == 1 || reg == 6; // INC, DEC, PUSH (not CALL/JMP)
                default -> false;
            };
        }
        if (op >= 0x200) return false;
        int b = op & 0xff;
        return b >= 0x40 && b <= 0x4f // CMOVcc
                || b >= 0x90 && b <= 0x9f // SETcc
                || b >= 0x18 && b <= 0x1f // hint NOPs
                || b >= 0xc8 && b <= 0xcf // BSWAP
                || switch (b) {
                    case 0xa3, 0xab, 0xb3, 0xbb, 0xba, 0xa4, 0xa5, 0xac, 0xad, 0xaf, 0xb0, 0xb1, 0xb6, 0xb7, 0xbe, 0xbf,
                            0xb8, 0xbc, 0xbd, 0xc0, 0xc1 -> true;
                    default -> false;
                };
    }
}
