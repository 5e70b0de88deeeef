package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.LinearMemory;

/**
 * The 512-byte FXSAVE image (Intel SDM Vol. 1 tables 10-2 and 10-3): FCW, FSW, abridged FTW,
 * FOP, the instruction and data pointers (64-bit form with REX.W, selector form otherwise),
 * MXCSR and MXCSR_MASK, the eight x87/MMX registers in stack order, then the XMM registers
 * (16 in 64-bit mode, 8 otherwise). Bytes 464-511 are left to software.
 */
final class FxImage {
    private final FpuRegisters r;
    private final byte[] scratch = new byte[512];

    FxImage(FpuRegisters r) {
        this.r = r;
    }

    void save(byte[] out, boolean pointers64, int xmmCount) {
        put16(out, 0, r.fcw);
        put16(out, 2, r.statusWord());
        out[4] = (byte) r.tagValid;
        out[5] = 0;
        put16(out, 6, r.fop);
        if (pointers64) {
            put64(out, 8, r.fip);
            put64(out, 16, r.fdp);
        } else {
            put64(out, 8, (r.fip & 0xffffffffL) | ((long) (r.fcs & 0xffff) << 32));
            put64(out, 16, (r.fdp & 0xffffffffL) | ((long) (r.fds & 0xffff) << 32));
        }
        put32(out, 24, r.mxcsr);
        put32(out, 28, FpuRegisters.MXCSR_MASK);
        for (int i = 0; i < 8; i++) {
            int p = r.phys(i);
            put64(out, 32 + 16 * i, r.mant[p]);
            put16(out, 40 + 16 * i, r.sexp[p]);
            put16(out, 42 + 16 * i, 0);
            put32(out, 44 + 16 * i, 0);
        }
        for (int i = 0; i < xmmCount; i++) {
            put64(out, 160 + 16 * i, r.xmm[2 * i]);
            put64(out, 168 + 16 * i, r.xmm[2 * i + 1]);
        }
    }

    /** Loads an image; the caller has checked MXCSR's reserved bits. */
    void load(byte[] in, boolean pointers64, int xmmCount) {
        r.fcw = get16(in, 0);
        r.setStatusWord(get16(in, 2));
        r.tagValid = in[4] & 0xff;
        r.fop = get16(in, 6) & 0x7ff;
        long ip = get64(in, 8), dp = get64(in, 16);
        if (pointers64) {
            r.fip = ip;
            r.fdp = dp;
            r.fcs = r.fds = 0;
        } else {
            r.fip = ip & 0xffffffffL;
            r.fcs = (int) (ip >>> 32) & 0xffff;
            r.fdp = dp & 0xffffffffL;
            r.fds = (int) (dp >>> 32) & 0xffff;
        }
        r.mxcsr = get32(in, 24) & FpuRegisters.MXCSR_MASK;
        for (int i = 0; i < 8; i++) {
            int p = r.phys(i);
            r.mant[p] = get64(in, 32 + 16 * i);
            r.sexp[p] = get16(in, 40 + 16 * i);
        }
        for (int i = 0; i < xmmCount; i++) {
            r.xmm[2 * i] = get64(in, 160 + 16 * i);
            r.xmm[2 * i + 1] = get64(in, 168 + 16 * i);
        }
    }

    /** FXSAVE m512: #GP(0) unless 16-byte aligned. */
    void saveTo(LinearMemory mem, long addr, boolean user, boolean rexW, int xmmCount) {
        if ((addr & 15) != 0) throw CpuFault.gp0();
        save(scratch, rexW, xmmCount);
        int end = 160 + 16 * xmmCount;
        for (int off = 0; off < end; off += 8) mem.write64(addr + off, get64(scratch, off), user);
    }

    /** FXRSTOR m512: #GP(0) unless aligned, or when the image's MXCSR sets a reserved bit. */
    void loadFrom(LinearMemory mem, long addr, boolean user, boolean rexW, int xmmCount) {
        if ((addr & 15) != 0) throw CpuFault.gp0();
        int end = 160 + 16 * xmmCount;
        for (int off = 0; off < end; off += 8) put64(scratch, off, mem.read64(addr + off, user));
        if ((get32(scratch, 24) & ~FpuRegisters.MXCSR_MASK) != 0) throw CpuFault.gp0();
        load(scratch, rexW, xmmCount);
    }

    static void put16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
    }

    static void put32(byte[] b, int o, int v) {
        put16(b, o, v);
        put16(b, o + 2, v >>> 16);
    }

    static void put64(byte[] b, int o, long v) {
        put32(b, o, (int) v);
        put32(b, o + 4, (int) (v >>> 32));
    }

    static int get16(byte[] b, int o) { return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8; }

    static int get32(byte[] b, int o) { return get16(b, o) | get16(b, o + 2) << 16; }

    static long get64(byte[] b, int o) { return (get32(b, o) & 0xffffffffL) | (long) get32(b, o + 4) << 32; }
}
