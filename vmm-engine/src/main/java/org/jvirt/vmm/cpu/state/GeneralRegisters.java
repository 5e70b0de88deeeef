package org.jvirt.vmm.cpu.state;

import java.util.Arrays;

/** The sixteen general registers (indices {@link #RAX}..{@link #R15}), RIP and RFLAGS. */
public record GeneralRegisters(long[] gprs, long rip, long rflags) {
    public static final int RAX = 0, RBX = 1, RCX = 2, RDX = 3, RSI = 4, RDI = 5, RSP = 6, RBP = 7,
            R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15, COUNT = 16;

    public GeneralRegisters {
        if (gprs.length != COUNT) throw new IllegalArgumentException("need 16 general registers, got " + gprs.length);
        gprs = gprs.clone();
    }

    @Override public long[] gprs() { return gprs.clone(); }

    public long get(int reg) { return gprs[reg]; }

    public GeneralRegisters with(int reg, long value) {
        long[] g = gprs.clone();
        g[reg] = value;
        return new GeneralRegisters(g, rip, rflags);
    }

    public GeneralRegisters withRip(long newRip) { return new GeneralRegisters(gprs, newRip, rflags); }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneralRegisters g && Arrays.equals(gprs, g.gprs) && rip == g.rip && rflags == g.rflags;
    }

    @Override public int hashCode() { return Arrays.hashCode(gprs) * 31 + Long.hashCode(rip); }

    @Override
    public String toString() {
        return String.format("rip=%x rflags=%x gprs=%s", rip, rflags, Arrays.toString(gprs));
    }
}
