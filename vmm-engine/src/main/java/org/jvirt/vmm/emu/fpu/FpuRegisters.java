package org.jvirt.vmm.emu.fpu;

/**
 * The register file of the x87 FPU and the SSE unit, shared by the classes of this package.
 *
 * <p>x87 registers are kept as the exact 80-bit pair (sign+exponent in {@link #sexp}, the 64-bit
 * significand with its explicit integer bit in {@link #mant}) indexed by physical register
 * number, so loads, stores, FILD/FIST of 64-bit integers and FXSAVE images are exact; the MMX
 * registers alias the significands, as on hardware. XMM register i is {@code xmm[2i]} (bits
 * 0-63) and {@code xmm[2i+1]} (bits 64-127).
 */
final class FpuRegisters {
    final long[] mant = new long[8];
    final int[] sexp = new int[8];
    /** Abridged tag: bit p set when physical register p is valid (not empty). */
    int tagValid;
    int fcw = 0x37f;
    /** The status word without TOP (kept apart in {@link #top}). */
    int fsw;
    int top;
    int fop;
    long fip, fdp;
    int fcs, fds;

    final long[] xmm = new long[32];
    int mxcsr = 0x1f80;

    static final int MXCSR_MASK = 0xffff;

    void reset() {
        finit();
        java.util.Arrays.fill(mant, 0);
        java.util.Arrays.fill(sexp, 0);
        java.util.Arrays.fill(xmm, 0);
        mxcsr = 0x1f80;
    }

    /** FNINIT: control word 037F, status and tags cleared, pointers zero (registers keep their contents). */
    void finit() {
        fcw = 0x37f;
        fsw = 0;
        top = 0;
        tagValid = 0;
        fop = 0;
        fip = fdp = 0;
        fcs = fds = 0;
    }

    int statusWord() { return (fsw & ~0x3800) | (top << 11); }

    void setStatusWord(int sw) {
        fsw = sw & ~0x3800 & 0xffff;
        top = (sw >> 11) & 7;
    }

    int phys(int st) { return (top + st) & 7; }

    boolean isEmpty(int st) { return (tagValid & (1 << phys(st))) == 0; }

    /** The full two-bit tag of physical register p (00 valid, 01 zero, 10 special, 11 empty). */
    int fullTag(int p) {
        if ((tagValid & (1 << p)) == 0) return 3;
        int e = sexp[p] & 0x7fff;
        long m = mant[p];
        if (e == 0x7fff) return 2;
        if (e == 0) return m == 0 ? 1 : 2;
        return m < 0 ? 0 : 2; // integer bit clear with a nonzero exponent: unnormal, special
    }

    int fullTagWord() {
        int t = 0;
        for (int p = 0; p < 8; p++) t |= fullTag(p) << (2 * p);
        return t;
    }

    void setFullTagWord(int tw) {
        tagValid = 0;
        for (int p = 0; p < 8; p++) if (((tw >> (2 * p)) & 3) != 3) tagValid |= 1 << p;
    }

    /** After any MMX instruction: TOP = 0 and all tags valid. */
    void enterMmx() {
        top = 0;
        tagValid = 0xff;
    }

    /** Writing MMX register i sets the exponent field to all ones, as hardware does. */
    void writeMmx(int i, long v) {
        mant[i] = v;
        sexp[i] = 0xffff;
    }
}
