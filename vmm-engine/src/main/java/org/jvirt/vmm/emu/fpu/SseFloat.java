package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F3A;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;

/**
 * SSE/SSE2/SSE3/SSE4.1 floating point: arithmetic, min/max, sqrt, RCP/RSQRT, compares
 * (CMPxx, COMIS/UCOMIS), horizontal and add-sub forms, ROUNDxx, DPPS/DPPD and the conversions
 * ({@link SseConvert}). Results are computed into locals and written only after the SIMD
 * exception check, so a #XM (or #UD without CR4.OSXMMEXCPT) leaves the destination unchanged.
 */
final class SseFloat {
    static final long LO32 = 0xffffffffL, HI32 = 0xffffffff00000000L;

    private final SseContext c;
    private final FpuRegisters r;
    final SseMath m = new SseMath();
    private final SseConvert convert;

    SseFloat(SseContext c) {
        this.c = c;
        this.r = c.r;
        this.convert = new SseConvert(c, this);
    }

    boolean execute() {
        m.flags = 0;
        m.mxcsr = r.mxcsr;
        if (c.map == MAP_0F3A) return map0f3a();
        if (c.map != MAP_0F) return false;
        int p = c.prefix, op = c.opcode;
        switch (op) {
            case 0x51 -> arith(SseMath.SQRT);
            case 0x58 -> arith(SseMath.ADD);
            case 0x59 -> arith(SseMath.MUL);
            case 0x5c -> arith(SseMath.SUB);
            case 0x5d -> arith(SseMath.MIN);
            case 0x5e -> arith(SseMath.DIV);
            case 0x5f -> arith(SseMath.MAX);
            case 0x52, 0x53 -> {
                if (p == PREFIX_66 || p == PREFIX_F2) return false;
                approximate(op == 0x52);
            }
            case 0xc2 -> compare();
            case 0x2e, 0x2f -> {
                if (p != PREFIX_NONE && p != PREFIX_66) return false;
                compareToFlags(op == 0x2f);
            }
            case 0x7c, 0x7d, 0xd0 -> {
                if (p != PREFIX_66 && p != PREFIX_F2) return false;
                horizontal(op);
            }
            case 0x2a, 0x2c, 0x2d, 0x5a, 0x5b, 0xe6 -> { return convert.execute(); }
            default -> { return false; }
        }
        return true;
    }

    /** Merges the flags into MXCSR and faults on an unmasked one (#XM, or #UD without CR4.OSXMMEXCPT). */
    void checkExceptions() {
        int f = m.flags;
        if (f == 0) return;
        int pre = SseMath.IE | SseMath.DE | SseMath.ZE;
        // an unmasked pre-computation exception (in any lane) stops before any result: no OE, UE or PE
        if ((f & pre & ~(r.mxcsr >> 7)) != 0) f &= pre;
        r.mxcsr |= f;
        if ((f & ~(r.mxcsr >> 7) & 0x3f) != 0) {
            throw (c.cpu.cr4 & CpuState.CR4_OSXMMEXCPT) != 0 ? CpuFault.of(CpuFault.XM) : SseContext.ud();
        }
    }

    void commit(int dest, long lo, long hi) {
        checkExceptions();
        c.setXmm(dest, lo, hi);
    }

    long pairS(int op, long a, long b) {
        return (m.opS(op, (int) a, (int) b) & LO32) | (long) m.opS(op, (int) (a >>> 32), (int) (b >>> 32)) << 32;
    }

    private void arith(int op) {
        int d = c.reg;
        long dl = c.lo(d), dh = c.hi(d);
        switch (c.prefix) {
            case PREFIX_NONE -> {
                c.src128(true);
                long lo = pairS(op, dl, c.sLo), hi = pairS(op, dh, c.sHi);
                commit(d, lo, hi);
            }
            case PREFIX_66 -> {
                c.src128(true);
                long lo = m.opD(op, dl, c.sLo), hi = m.opD(op, dh, c.sHi);
                commit(d, lo, hi);
            }
            case PREFIX_F3 -> {
                c.src32();
                commit(d, (dl & HI32) | (m.opS(op, (int) dl, (int) c.sLo) & LO32), dh);
            }
            default -> {
                c.src64();
                commit(d, m.opD(op, dl, c.sLo), dh);
            }
        }
    }

    /** RSQRTPS/SS and RCPPS/SS: this model returns the correctly rounded value (hardware: a 12-bit estimate). */
    private void approximate(boolean rsqrt) {
        int d = c.reg;
        if (c.prefix == PREFIX_F3) {
            c.src32();
            commit(d, (c.lo(d) & HI32) | (estimate((int) c.sLo, rsqrt) & LO32), c.hi(d));
        } else {
            c.src128(true);
            commit(d, estimate2(c.sLo, rsqrt), estimate2(c.sHi, rsqrt));
        }
    }

    private static long estimate2(long v, boolean rsqrt) {
        return (estimate((int) v, rsqrt) & LO32) | (long) estimate((int) (v >>> 32), rsqrt) << 32;
    }

    private static int estimate(int bits, boolean rsqrt) {
        if (SseMath.isNaN(bits)) return bits | 0x00400000;
        double x = Float.intBitsToFloat(bits);
        if (rsqrt && x < 0) return SseMath.DEFAULT_NAN_S;
        return Float.floatToRawIntBits((float) (rsqrt ? 1 / Math.sqrt(x) : 1 / x));
    }

    /** CMPPS/PD/SS/SD with predicates 0-7 (EQ, LT, LE, UNORD, NEQ, NLT, NLE, ORD). */
    private void compare() {
        int d = c.reg, pred = c.imm8 & 7;
        long dl = c.lo(d), dh = c.hi(d);
        switch (c.prefix) {
            case PREFIX_NONE -> {
                c.src128(true);
                long lo = cmpS2(dl, c.sLo, pred), hi = cmpS2(dh, c.sHi, pred);
                commit(d, lo, hi);
            }
            case PREFIX_66 -> {
                c.src128(true);
                long lo = cmpD(dl, c.sLo, pred) ? -1L : 0, hi = cmpD(dh, c.sHi, pred) ? -1L : 0;
                commit(d, lo, hi);
            }
            case PREFIX_F3 -> {
                c.src32();
                commit(d, (dl & HI32) | (cmpS((int) dl, (int) c.sLo, pred) ? LO32 : 0), dh);
            }
            default -> {
                c.src64();
                commit(d, cmpD(dl, c.sLo, pred) ? -1L : 0, dh);
            }
        }
    }

    private long cmpS2(long a, long b, int pred) {
        return (cmpS((int) a, (int) b, pred) ? LO32 : 0) | (cmpS((int) (a >>> 32), (int) (b >>> 32), pred) ? HI32 : 0);
    }

    private boolean cmpS(int a, int b, int pred) {
        boolean unordered = SseMath.isNaN(a) || SseMath.isNaN(b);
        noteCompareNaN(unordered, SseMath.isSNaN(a) || SseMath.isSNaN(b), pred);
        if (unordered) return predicate(pred, true, 0, 0);
        return predicate(pred, false, m.operandS(a, true), m.operandS(b, true));
    }

    private boolean cmpD(long a, long b, int pred) {
        boolean unordered = SseMath.isNaN(a) || SseMath.isNaN(b);
        noteCompareNaN(unordered, SseMath.isSNaN(a) || SseMath.isSNaN(b), pred);
        if (unordered) return predicate(pred, true, 0, 0);
        return predicate(pred, false, m.operandD(a, true), m.operandD(b, true));
    }

    /** LT, LE, NLT, NLE signal invalid on any NaN; EQ, UNORD, NEQ, ORD only on an SNaN. */
    private void noteCompareNaN(boolean unordered, boolean signaling, int pred) {
        if (signaling || (unordered && (pred & 3) != 0 && (pred & 3) != 3)) m.flags |= SseMath.IE;
    }

    private static boolean predicate(int pred, boolean unordered, double x, double y) {
        return switch (pred) {
            case 0 -> !unordered && x == y;
            case 1 -> !unordered && x < y;
            case 2 -> !unordered && x <= y;
            case 3 -> unordered;
            case 4 -> unordered || x != y;
            case 5 -> unordered || !(x < y);
            case 6 -> unordered || !(x <= y);
            default -> !unordered;
        };
    }

    /** COMISS/COMISD (IE on any NaN) and UCOMISS/UCOMISD (IE on an SNaN): ZF, PF, CF; OF, SF, AF cleared. */
    private void compareToFlags(boolean signalingOnQNaN) {
        boolean dbl = c.prefix == PREFIX_66;
        double x, y;
        boolean unordered, snan;
        if (dbl) {
            c.src64();
            long a = c.lo(c.reg), b = c.sLo;
            unordered = SseMath.isNaN(a) || SseMath.isNaN(b);
            snan = SseMath.isSNaN(a) || SseMath.isSNaN(b);
            x = unordered ? 0 : m.operandD(a, true);
            y = unordered ? 0 : m.operandD(b, true);
        } else {
            c.src32();
            int a = (int) c.lo(c.reg), b = (int) c.sLo;
            unordered = SseMath.isNaN(a) || SseMath.isNaN(b);
            snan = SseMath.isSNaN(a) || SseMath.isSNaN(b);
            x = unordered ? 0 : m.operandS(a, true);
            y = unordered ? 0 : m.operandS(b, true);
        }
        if (snan || (unordered && signalingOnQNaN)) m.flags |= SseMath.IE;
        checkExceptions();
        long f = c.cpu.rflags() & ~CpuState.STATUS_FLAGS;
        if (unordered) f |= CpuState.ZF | CpuState.PF | CpuState.CF;
        else if (x < y) f |= CpuState.CF;
        else if (x == y) f |= CpuState.ZF;
        c.cpu.setRflags(f);
    }

    /** HADDPD/HADDPS (7C), HSUBPD/HSUBPS (7D), ADDSUBPD/ADDSUBPS (D0); 66 = PD, F2 = PS. */
    private void horizontal(int op) {
        c.src128(true);
        int d = c.reg;
        long dl = c.lo(d), dh = c.hi(d), sl = c.sLo, sh = c.sHi;
        boolean pd = c.prefix == PREFIX_66;
        long lo, hi;
        if (op == 0xd0) {
            if (pd) {
                lo = m.opD(SseMath.SUB, dl, sl);
                hi = m.opD(SseMath.ADD, dh, sh);
            } else {
                lo = (m.opS(SseMath.SUB, (int) dl, (int) sl) & LO32) | (long) m.opS(SseMath.ADD, (int) (dl >>> 32), (int) (sl >>> 32)) << 32;
                hi = (m.opS(SseMath.SUB, (int) dh, (int) sh) & LO32) | (long) m.opS(SseMath.ADD, (int) (dh >>> 32), (int) (sh >>> 32)) << 32;
            }
        } else {
            int f = op == 0x7c ? SseMath.ADD : SseMath.SUB;
            if (pd) {
                lo = m.opD(f, dl, dh);
                hi = m.opD(f, sl, sh);
            } else {
                lo = (m.opS(f, (int) dl, (int) (dl >>> 32)) & LO32) | (long) m.opS(f, (int) dh, (int) (dh >>> 32)) << 32;
                hi = (m.opS(f, (int) sl, (int) (sl >>> 32)) & LO32) | (long) m.opS(f, (int) sh, (int) (sh >>> 32)) << 32;
            }
        }
        commit(d, lo, hi);
    }

    private boolean map0f3a() {
        if (c.prefix != PREFIX_66) return false;
        int op = c.opcode;
        switch (op) {
            case 0x08, 0x09, 0x0a, 0x0b -> round(op);
            case 0x40 -> dpps();
            case 0x41 -> dppd();
            default -> { return false; }
        }
        return true;
    }

    /** ROUNDPS/PD/SS/SD: imm8 bits 1-0 the mode, bit 2 use MXCSR.RC instead, bit 3 suppress PE. */
    private void round(int op) {
        int imm = c.imm8, d = c.reg;
        int rc = (imm & 4) != 0 ? m.rc() : imm & 3;
        boolean quietPE = (imm & 8) != 0;
        long lo, hi;
        switch (op) {
            case 0x08 -> {
                c.src128(true);
                lo = (roundS((int) c.sLo, rc, quietPE) & LO32) | (long) roundS((int) (c.sLo >>> 32), rc, quietPE) << 32;
                hi = (roundS((int) c.sHi, rc, quietPE) & LO32) | (long) roundS((int) (c.sHi >>> 32), rc, quietPE) << 32;
            }
            case 0x09 -> {
                c.src128(true);
                lo = roundD(c.sLo, rc, quietPE);
                hi = roundD(c.sHi, rc, quietPE);
            }
            case 0x0a -> {
                c.src32();
                lo = (c.lo(d) & HI32) | (roundS((int) c.sLo, rc, quietPE) & LO32);
                hi = c.hi(d);
            }
            default -> {
                c.src64();
                lo = roundD(c.sLo, rc, quietPE);
                hi = c.hi(d);
            }
        }
        commit(d, lo, hi);
    }

    private long roundD(long bits, int rc, boolean quietPE) {
        if (SseMath.isNaN(bits)) {
            if (SseMath.isSNaN(bits)) m.flags |= SseMath.IE;
            return bits | 0x0008000000000000L;
        }
        double x = m.operandD(bits, false), v = Math.copySign(SseMath.roundInt(x, rc), x); // DAZ applies; no DE
        if (v != x && !quietPE) m.flags |= SseMath.PE;
        return Double.doubleToRawLongBits(v);
    }

    private int roundS(int bits, int rc, boolean quietPE) {
        if (SseMath.isNaN(bits)) {
            if (SseMath.isSNaN(bits)) m.flags |= SseMath.IE;
            return bits | 0x00400000;
        }
        double x = m.operandS(bits, false), v = Math.copySign(SseMath.roundInt(x, rc), x);
        if (v != x && !quietPE) m.flags |= SseMath.PE;
        return Float.floatToRawIntBits((float) v);
    }

    /** DPPS: products of the lanes selected by imm8[7:4], summed pairwise, written to the lanes of imm8[3:0]. */
    private void dpps() {
        c.src128(true);
        int d = c.reg, imm = c.imm8;
        int[] p = products;
        for (int i = 0; i < 4; i++) {
            int a = (int) ((i < 2 ? c.lo(d) : c.hi(d)) >>> (32 * (i & 1)));
            int b = (int) ((i < 2 ? c.sLo : c.sHi) >>> (32 * (i & 1)));
            p[i] = (imm & (16 << i)) != 0 ? m.opS(SseMath.MUL, a, b) : 0;
        }
        int sum = m.opS(SseMath.ADD, m.opS(SseMath.ADD, p[0], p[1]), m.opS(SseMath.ADD, p[2], p[3]));
        long lo = 0, hi = 0;
        for (int i = 0; i < 4; i++) {
            if ((imm & (1 << i)) == 0) continue;
            long v = (sum & LO32) << (32 * (i & 1));
            if (i < 2) lo |= v;
            else hi |= v;
        }
        commit(d, lo, hi);
    }

    private final int[] products = new int[4];

    private void dppd() {
        c.src128(true);
        int d = c.reg, imm = c.imm8;
        long p0 = (imm & 0x10) != 0 ? m.opD(SseMath.MUL, c.lo(d), c.sLo) : 0;
        long p1 = (imm & 0x20) != 0 ? m.opD(SseMath.MUL, c.hi(d), c.sHi) : 0;
        long sum = m.opD(SseMath.ADD, p0, p1);
        commit(d, (imm & 1) != 0 ? sum : 0, (imm & 2) != 0 ? sum : 0);
    }
}
