package org.jvirt.vmm.cpu.state;

import java.util.Arrays;

/** DR0..DR3, DR6, DR7. */
public record DebugRegisters(long[] breakpoints, long dr6, long dr7) {
    public DebugRegisters {
        if (breakpoints.length != 4) throw new IllegalArgumentException("DR0..DR3 are 4 registers");
        breakpoints = breakpoints.clone();
    }

    @Override public long[] breakpoints() { return breakpoints.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebugRegisters d && Arrays.equals(breakpoints, d.breakpoints) && dr6 == d.dr6 && dr7 == d.dr7;
    }

    @Override public int hashCode() { return Arrays.hashCode(breakpoints) * 31 + Long.hashCode(dr7); }

    @Override
    public String toString() { return String.format("dr0-3=%s dr6=%x dr7=%x", Arrays.toString(breakpoints), dr6, dr7); }
}
