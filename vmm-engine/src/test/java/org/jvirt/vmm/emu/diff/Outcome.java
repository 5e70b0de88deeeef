package org.jvirt.vmm.emu.diff;

/**
 * Where one backend ended a case: at the terminator (vector -1), in an exception handler
 * (vector 0..31), or nowhere within the time limit (timedOut); with the GPRs (encoding
 * order), RIP, RFLAGS, XMM0..15 (32 quadwords), MXCSR, the x87/MMX registers (FSW, abridged FTW and
 * the eight 80-bit registers, as in the FXSAVE image) and the pages the code may have written.
 */
record Outcome(boolean timedOut, int vector, long[] gprs, long rip, long rflags, byte[] data, byte[] stack, byte[] kernelStack,
               long[] xmm, int mxcsr, byte[] x87) {
    String how() {
        return timedOut ? "no exit within the time limit" : vector < 0 ? "reached the terminator" : "exception vector " + vector;
    }
}
