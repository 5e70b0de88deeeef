package org.jvirt.vmm.emu.cpu;

/**
 * Computes the six status flags from the last arithmetic operation recorded in {@link CpuState}
 * (see {@link CpuState#lazy}), so that ADD/SUB/CMP/logic/INC/DEC cost no flag work until
 * something reads the flags (Jcc, PUSHF, rflags()).
 */
final class LazyFlags {
    static final int NONE = 0, ADD = 1, ADC = 2, SUB = 3, SBB = 4, LOGIC = 5, INC = 6, DEC = 7;

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

    /** CF alone, as {@link #status} would compute it. */
    static boolean carry(CpuState s) {
        long d = s.flagsDst, src = s.flagsSrc, res = s.flagsRes;
        return switch (s.flagsOp) {
            case ADD -> Long.compareUnsigned(res, d) < 0;
            case ADC -> s.flagsCarry ? Long.compareUnsigned(res, d) <= 0 : Long.compareUnsigned(res, d) < 0;
            case SUB -> Long.compareUnsigned(d, src) < 0;
            case SBB -> s.flagsCarry ? Long.compareUnsigned(d, src) <= 0 : Long.compareUnsigned(d, src) < 0;
            case INC, DEC -> s.flagsCarry;
            default -> false; // LOGIC
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
            default -> { cf = false; of = false; af = 0; } // LOGIC
        }
        long f = szp(res, size) | af;
        if (cf) f |= CpuState.CF;
        if (of) f |= CpuState.OF;
        return f;
    }
}
