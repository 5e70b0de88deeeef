package org.jvirt.vmm.cpu.state;

import java.util.Arrays;
import java.util.SortedMap;

/**
 * FPU, SSE and AVX state as the XSAVE instruction lays it out (the first 512 bytes are the
 * FXSAVE image, then the XSAVE header and the extended components), and the extended control
 * registers (XCR0 = which components are enabled), by index.
 */
public record ExtendedState(byte[] xsave, SortedMap<Integer, Long> xcrs) {
    /** The legacy FXSAVE region plus the 64-byte XSAVE header. */
    public static final int MIN_XSAVE_SIZE = 512 + 64;
    public static final int MXCSR = 24, XMM0 = 160;

    public ExtendedState {
        if (xsave.length < MIN_XSAVE_SIZE) throw new IllegalArgumentException("XSAVE area of " + xsave.length + " bytes");
        xsave = xsave.clone();
        xcrs = VcpuState.byIndex(xcrs);
    }

    @Override public byte[] xsave() { return xsave.clone(); }

    /** The low 64 bits of XMMn (from the FXSAVE image). */
    public long xmmLow(int n) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (xsave[XMM0 + 16 * n + i] & 0xff);
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedState e && Arrays.equals(xsave, e.xsave) && xcrs.equals(e.xcrs);
    }

    @Override public int hashCode() { return Arrays.hashCode(xsave) * 31 + xcrs.hashCode(); }

    @Override
    public String toString() { return "xsave[" + xsave.length + " bytes] xcrs=" + xcrs; }
}
