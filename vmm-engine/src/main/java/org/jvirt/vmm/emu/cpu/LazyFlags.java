package org.jvirt.vmm.emu.cpu;

/**
 * Computes the six status flags from the last arithmetic operation recorded in {@link CpuState}
 * (see {@link CpuState#lazy}), so that ADD/SUB/CMP/logic/INC/DEC cost no flag work until
 * something reads the flags (Jcc, PUSHF, rflags()).
 */
final class LazyFlags {
    static final int NONE = 0, ADD = 1, ADC = 2, SUB = 3, SBB = 4, LOGIC = 5, INC = 6, DEC = 7;
    /**
     * Shifts by a count of 1..63 already masked (dst = the operand, src = the count): CF and OF
     * follow from them; AF keeps its value from before the shift (flagsCarry).
     */
    static final int SHL = 8, SHR = 9, SAR = 10;

    private LazyFlags() { }

    static long mask(int size) { return size == 8 ? -1L : (1L << (size * 8)) - 1; }

    static long signBit(int size) { return 1L << (size * 8 - 1); }

    static long szp(long res, int size) {
        long f = 0;
        if (res == 0) f |= CpuState.ZF;
        if ((res & signBit(size)) != 0) f |= CpuState.SF;
        if ((Integer.bitCount((int) res & 0xff) & 1) == 0) f |= CpuState.PF;
        return f;
    }

    /** AF alone, as {@link #status} would compute it (without materialising the flags). */
    static boolean auxCarry(CpuState s) {
        return switch (s.flagsOp) {
            case NONE -> (s.controlFlags() & CpuState.AF) != 0;
            case LOGIC -> false;
            case SHL, SHR, SAR -> s.flagsCarry;
            default -> ((s.flagsDst ^ s.flagsSrc ^ s.flagsRes) & 0x10) != 0;
        };
    }

    /** CF alone, as {@link #status} would compute it. */
    static boolean carry(CpuState s) {
        long d = s.flagsDst, src = s.flagsSrc, res = s.flagsRes;
        return switch (s.flagsOp) {
            case ADD -> Long.compareUnsigned(res, d) < 0;
            case ADC -> s.flagsCarry ? Long.compareUnsigned(res, d) <= 0 : Long.compareUnsigned(res, d) < 0;
            case SUB -> Long.compareUnsigned(d, src) < 0;
            case SBB -> s.flagsCarry ? Long.compareUnsigned(d, src) <= 0 : Long.compareUnsigned(d, src) < 0;
            case INC, DEC -> s.flagsCarry;
            case SHL, SHR, SAR -> shiftCarry(s.flagsOp, d, (int) src, s.flagsSize);
            default -> false; // LOGIC
        };
    }

    private static boolean shiftCarry(int op, long d, int count, int size) {
        int bits = size * 8;
        return switch (op) {
            case SHL -> count <= bits && ((d >>> (bits - count)) & 1) != 0;
            case SHR -> ((d >>> (count - 1)) & 1) != 0;
            default -> ((CpuCore.sext(d, size) >> (count - 1)) & 1) != 0; // SAR
        };
    }

    static long status(CpuState s) {
        int size = s.flagsSize;
        long d = s.flagsDst, src = s.flagsSrc, res = s.flagsRes, sign = signBit(size);
        boolean cf, of;
        long af = (d ^ src ^ res) & 0x10;
        switch (s.flagsOp) {
            case ADD -> { cf = Long.compareUnsigned(res, d) < 0; of = ((d ^ res) & (src ^ res) & sign) != 0; }
            case ADC -> { cf = s.flagsCarry ? Long.compareUnsigned(res, d) <= 0 : Long.compareUnsigned(res, d) < 0;
                of = ((d ^ res) & (src ^ res) & sign) != 0; }
            case SUB -> { cf = Long.compareUnsigned(d, src) < 0; of = ((d ^ src) & (d ^ res) & sign) != 0; }
            case SBB -> { cf = s.flagsCarry ? Long.compareUnsigned(d, src) <= 0 : Long.compareUnsigned(d, src) < 0;
                of = ((d ^ src) & (d ^ res) & sign) != 0; }
            case INC -> { cf = s.flagsCarry; of = res == sign; }
            case DEC -> { cf = s.flagsCarry; of = res == sign - 1; }
            case SHL, SHR, SAR -> {
                int count = (int) src;
                cf = shiftCarry(s.flagsOp, d, count, size);
                of = s.flagsOp == SHL ? ((res & sign) != 0) ^ cf
                        : s.flagsOp == SHR && count == 1 && (d & sign) != 0; // SHR: the sign changes only in the first step
                af = s.flagsCarry ? CpuState.AF : 0;
            }
            default -> { cf = false; of = false; af = 0; } // LOGIC
        }
        long f = szp(res, size) | af;
        if (cf) f |= CpuState.CF;
        if (of) f |= CpuState.OF;
        return f;
    }
}
