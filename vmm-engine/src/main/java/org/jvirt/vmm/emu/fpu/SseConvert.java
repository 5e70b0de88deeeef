package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;

/**
 * The SSE conversions: CVTSI2SS/SD, CVT(T)SS2SI/SD2SI, CVTSS2SD/SD2SS, CVTDQ2PS, CVT(T)PS2DQ,
 * CVTDQ2PD, CVT(T)PD2DQ, CVTPS2PD, CVTPD2PS and the MMX forms CVTPI2PS/PD, CVT(T)PS2PI/PD2PI.
 * Rounding follows MXCSR.RC (the T forms truncate); out-of-range and NaN give the integer
 * indefinite with IE. DAZ is not applied to the integer conversions' inputs.
 */
final class SseConvert {
    private static final long LO32 = SseFloat.LO32, HI32 = SseFloat.HI32;
    private final SseContext c;
    private final SseFloat f;
    private final SseMath m;

    SseConvert(SseContext c, SseFloat f) {
        this.c = c;
        this.f = f;
        this.m = f.m;
    }

    boolean execute() {
        int p = c.prefix, d = c.reg;
        switch (c.opcode) {
            case 0x2a -> {
                switch (p) {
                    case PREFIX_NONE -> { // CVTPI2PS xmm, mm/m64
                        c.srcMmx();
                        long lo = sInt((int) c.sLo) | sInt((int) (c.sLo >>> 32)) << 32;
                        f.commit(d, lo, c.hi(d));
                    }
                    case PREFIX_66 -> { // CVTPI2PD xmm, mm/m64 (exact)
                        c.srcMmx();
                        f.commit(d, dbl((int) c.sLo), dbl((int) (c.sLo >>> 32)));
                    }
                    case PREFIX_F3 -> {
                        long v = signedGpr();
                        float r = m.fromLongS(v);
                        f.commit(d, (c.lo(d) & HI32) | (Float.floatToRawIntBits(r) & LO32), c.hi(d));
                    }
                    default -> {
                        long v = signedGpr();
                        f.commit(d, Double.doubleToRawLongBits(m.fromLongD(v)), c.hi(d));
                    }
                }
            }
            case 0x2c, 0x2d -> {
                boolean trunc = c.opcode == 0x2c;
                switch (p) {
                    case PREFIX_NONE -> { // CVT(T)PS2PI mm, xmm/m64
                        c.src64();
                        long v = m.toInt(m.operandS((int) c.sLo, false), trunc, false)
                                | m.toInt(m.operandS((int) (c.sLo >>> 32), false), trunc, false) << 32;
                        f.checkExceptions();
                        c.r.writeMmx(d & 7, v);
                    }
                    case PREFIX_66 -> { // CVT(T)PD2PI mm, xmm/m128
                        c.src128(true);
                        long v = m.toInt(m.operandD(c.sLo, false), trunc, false)
                                | m.toInt(m.operandD(c.sHi, false), trunc, false) << 32;
                        f.checkExceptions();
                        c.r.writeMmx(d & 7, v);
                    }
                    case PREFIX_F3 -> {
                        c.src32();
                        long v = m.toInt(m.operandS((int) c.sLo, false), trunc, c.rexW);
                        f.checkExceptions();
                        c.cpu.gpr[d] = v;
                    }
                    default -> {
                        c.src64();
                        long v = m.toInt(m.operandD(c.sLo, false), trunc, c.rexW);
                        f.checkExceptions();
                        c.cpu.gpr[d] = v;
                    }
                }
            }
            case 0x5a -> {
                switch (p) {
                    case PREFIX_NONE -> { // CVTPS2PD
                        c.src64();
                        f.commit(d, m.widen((int) c.sLo), m.widen((int) (c.sLo >>> 32)));
                    }
                    case PREFIX_66 -> { // CVTPD2PS
                        c.src128(true);
                        f.commit(d, (m.narrow(c.sLo) & LO32) | (long) m.narrow(c.sHi) << 32, 0);
                    }
                    case PREFIX_F3 -> { // CVTSS2SD
                        c.src32();
                        f.commit(d, m.widen((int) c.sLo), c.hi(d));
                    }
                    default -> { // CVTSD2SS
                        c.src64();
                        f.commit(d, (c.lo(d) & HI32) | (m.narrow(c.sLo) & LO32), c.hi(d));
                    }
                }
            }
            case 0x5b -> {
                c.src128(true);
                switch (p) {
                    case PREFIX_NONE -> f.commit(d, sInt((int) c.sLo) | sInt((int) (c.sLo >>> 32)) << 32,
                            sInt((int) c.sHi) | sInt((int) (c.sHi >>> 32)) << 32);
                    case PREFIX_66, PREFIX_F3 -> {
                        boolean trunc = p == PREFIX_F3;
                        f.commit(d, psToDq(c.sLo, trunc), psToDq(c.sHi, trunc));
                    }
                    default -> { return false; }
                }
            }
            case 0xe6 -> {
                switch (p) {
                    case PREFIX_F3 -> { // CVTDQ2PD
                        c.src64();
                        f.commit(d, dbl((int) c.sLo), dbl((int) (c.sLo >>> 32)));
                    }
                    case PREFIX_66, PREFIX_F2 -> { // CVTTPD2DQ, CVTPD2DQ
                        c.src128(true);
                        boolean trunc = p == PREFIX_66;
                        long lo = m.toInt(m.operandD(c.sLo, false), trunc, false)
                                | m.toInt(m.operandD(c.sHi, false), trunc, false) << 32;
                        f.commit(d, lo, 0);
                    }
                    default -> { return false; }
                }
            }
            default -> { return false; }
        }
        return true;
    }

    /** A 32-bit (sign-extended) or 64-bit (REX.W) integer source from a GPR or memory. */
    private long signedGpr() {
        long v = c.srcGprOrMem();
        return c.rexW ? v : (int) v;
    }

    private long sInt(int v) { return Float.floatToRawIntBits(m.fromLongS(v)) & LO32; }

    private static long dbl(int v) { return Double.doubleToRawLongBits(v); }

    private long psToDq(long pair, boolean trunc) {
        return m.toInt(m.operandS((int) pair, false), trunc, false)
                | m.toInt(m.operandS((int) (pair >>> 32), false), trunc, false) << 32;
    }
}
