package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.fpu.X87.C0;
import static org.jvirt.vmm.emu.fpu.X87.C1;
import static org.jvirt.vmm.emu.fpu.X87.C2;
import static org.jvirt.vmm.emu.fpu.X87.C3;
import static org.jvirt.vmm.emu.fpu.X87.IE;
import static org.jvirt.vmm.emu.fpu.X87.OE;
import static org.jvirt.vmm.emu.fpu.X87.ZE;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;

/**
 * x87 arithmetic, compares and the register forms of D8-DF (see {@link X87} for the precision
 * model): operands are rounded to double for arithmetic, NaN operands propagate exactly (quieted),
 * and an invalid operation yields the negative QNaN indefinite.
 */
final class X87Math {
    private static final double LN2 = Math.log(2);
    private final X87 f;
    private final FpuRegisters r;
    private final Ext80 x;
    private final SseMath math = new SseMath();

    X87Math(X87 f) {
        this.f = f;
        this.r = f.r;
        this.x = f.x;
    }

    // ---- two-operand arithmetic: op /0 add, /1 mul, /4 sub, /5 subr, /6 div, /7 divr (dest op source)

    /** The result of dest (op) src into x.se/x.m; returns false when an unmasked exception suppresses it. */
    private boolean arith(int op, int dse, long dm, int sse, long sm) {
        if (Ext80.unsupported(dse, dm) || Ext80.unsupported(sse, sm)) {
            f.exc |= IE;
            x.se = Ext80.INDEFINITE_SE;
            x.m = Ext80.INDEFINITE_M;
            return !f.suppressed();
        }
        if (Ext80.isNaN(dse, dm) || Ext80.isNaN(sse, sm)) {
            if (Ext80.isSNaN(dse, dm) || Ext80.isSNaN(sse, sm)) f.exc |= IE;
            boolean useDest = Ext80.isNaN(dse, dm)
                    && (!Ext80.isNaN(sse, sm) || Long.compareUnsigned(dm << 1, sm << 1) >= 0);
            x.se = useDest ? dse : sse;
            x.m = (useDest ? dm : sm) | 0x4000000000000000L;
            return !f.suppressed();
        }
        long a = Double.doubleToRawLongBits(x.toDouble(dse, dm, 0));
        long b = Double.doubleToRawLongBits(x.toDouble(sse, sm, 0));
        long v = switch (op) {
            case 0 -> dbl(SseMath.ADD, a, b);
            case 1 -> dbl(SseMath.MUL, a, b);
            case 4 -> dbl(SseMath.SUB, a, b);
            case 5 -> dbl(SseMath.SUB, b, a);
            case 6 -> dbl(SseMath.DIV, a, b);
            default -> dbl(SseMath.DIV, b, a);
        };
        x.fromDoubleBits(v);
        return !f.suppressed();
    }

    /**
     * One double operation rounded per the control word's RC (correctly rounded, with IE, ZE,
     * OE, UE, PE as IEEE defines them for double: see {@link SseMath}).
     */
    private long dbl(int op, long a, long b) {
        math.mxcsr = 0x1f80 | f.rc() << 13;
        math.flags = 0;
        long v = math.opD(op, a, b);
        f.exc |= math.flags & (IE | ZE | OE | X87.UE | X87.PE);
        return v;
    }

    /** Widens a double result into x, noting IE (NaN from non-NaN operands), ZE and OE. */
    private boolean result(double v, boolean divideByZero, boolean finiteOperands) {
        if (Double.isNaN(v)) {
            f.exc |= IE;
            x.se = Ext80.INDEFINITE_SE;
            x.m = Ext80.INDEFINITE_M;
        } else {
            if (divideByZero) f.exc |= ZE;
            else if (Double.isInfinite(v) && finiteOperands) f.exc |= OE | X87.PE;
            x.fromDouble(v);
        }
        return !f.suppressed();
    }

    /** D8/DA/DC/DE memory forms: ST(0) op= operand (already in x), or FCOM/FCOMP. */
    void arithMemory(int sub, boolean snan) {
        int sse = x.se;
        long sm = x.m;
        if (sub == 2 || sub == 3) {
            compare(0, sse, sm, false, true);
            if (sub == 3) f.pop();
            return;
        }
        if (f.empty(0)) {
            if (f.underflow()) f.setIndefinite(0);
            return;
        }
        if (arith(sub, f.se(0), f.m(0), sse, sm)) f.set(0, x.se, x.m);
    }

    /** dest = dest op src on stack registers, then optionally pop. */
    private void arithStack(int op, int dest, int src, boolean pop) {
        if (f.empty(dest) || f.empty(src)) {
            if (!f.underflow()) return;
            f.setIndefinite(dest);
        } else if (arith(op, f.se(dest), f.m(dest), f.se(src), f.m(src))) {
            f.set(dest, x.se, x.m);
        } else return;
        if (pop) f.pop();
    }

    /**
     * Compares ST(i) (or a memory operand) with ST(0)'s value: C3 C2 C0 = 000 greater, 001 less,
     * 100 equal, 111 unordered; or, with {@code toEflags}, ZF PF CF the same way (FCOMI).
     * {@code signalQNaN}: FCOM (IE on any NaN) versus FUCOM (IE on an SNaN only).
     */
    private void compare(int dummy, int sse, long sm, boolean toEflags, boolean signalQNaN) {
        int cc;
        if (f.empty(0)) {
            f.underflow();
            cc = 7;
        } else {
            int dse = f.se(0);
            long dm = f.m(0);
            boolean unordered = Ext80.isNaN(dse, dm) || Ext80.isNaN(sse, sm);
            if (unordered) {
                if (signalQNaN || Ext80.isSNaN(dse, dm) || Ext80.isSNaN(sse, sm)) f.exc |= IE;
                cc = 7;
            } else {
                int c = Ext80.compare(dse, dm, sse, sm);
                cc = c < 0 ? 1 : c == 0 ? 4 : 0;
            }
        }
        if (f.suppressed()) return;
        if (toEflags) {
            long fl = f.cpu.rflags() & ~CpuState.STATUS_FLAGS;
            if ((cc & 1) != 0) fl |= CpuState.CF;
            if ((cc & 2) != 0) fl |= CpuState.PF;
            if ((cc & 4) != 0) fl |= CpuState.ZF;
            f.cpu.setRflags(fl);
            r.fsw &= ~C1;
        } else {
            f.setCc(((cc & 1) != 0 ? C0 : 0) | ((cc & 2) != 0 ? C2 : 0) | ((cc & 4) != 0 ? C3 : 0));
        }
    }

    private void compareStack(int i, boolean toEflags, boolean signalQNaN, int pops) {
        if (f.empty(i)) {
            f.underflow();
            compare(0, Ext80.INDEFINITE_SE, Ext80.INDEFINITE_M, toEflags, false);
        } else {
            compare(0, f.se(i), f.m(i), toEflags, signalQNaN);
        }
        if (f.suppressed()) return;
        for (int k = 0; k < pops; k++) f.pop();
    }

    // ---- register forms

    void register(int op, int sub, int i, int modrm) {
        switch (op) {
            case 0 -> {
                if (sub == 2 || sub == 3) compareStack(i, false, true, sub == 3 ? 1 : 0);
                else arithStack(sub, 0, i, false);
            }
            case 4, 6 -> {
                if (op == 6 && sub == 3) { // FCOMPP (DE D9)
                    if (i != 1) throw CpuFault.of(CpuFault.UD);
                    compareStack(1, false, true, 2);
                } else if (sub == 2 || sub == 3) { // DC D0/D8 and DE D0: aliases of FCOM/FCOMP
                    compareStack(i, false, true, sub == 3 || op == 6 ? 1 : 0);
                } else {
                    int swapped = sub >= 4 ? sub ^ 1 : sub; // DC/DE E0..FF name the reversed operation
                    arithStack(swapped, i, 0, op == 6);
                }
            }
            case 1 -> d9(sub, i, modrm);
            case 2 -> {
                if (sub < 4) fcmov(sub, i, false);
                else if (modrm == 0xe9) compareStack(1, false, false, 2); // FUCOMPP
                else throw CpuFault.of(CpuFault.UD);
            }
            case 3 -> {
                if (sub < 4) fcmov(sub, i, true);
                else if (sub == 5) compareStack(i, true, false, 0); // FUCOMI
                else if (sub == 6) compareStack(i, true, true, 0); // FCOMI
                else if (modrm == 0xe2) r.fsw &= ~(0x7f | X87.ES | X87.B); // FNCLEX
                else if (modrm == 0xe3) r.finit(); // FNINIT
                else if (modrm == 0xe0 || modrm == 0xe1 || modrm == 0xe4) { } // FENI, FDISI, FSETPM: no-ops
                else throw CpuFault.of(CpuFault.UD);
            }
            case 5 -> {
                switch (sub) {
                    case 0 -> r.tagValid &= ~(1 << f.phys(i)); // FFREE
                    case 1 -> fxch(i);
                    case 2, 3 -> { // FST, FSTP ST(i)
                        if (f.empty(0)) {
                            if (!f.underflow()) return;
                            f.setIndefinite(i);
                        } else f.set(i, f.se(0), f.m(0));
                        if (sub == 3) f.pop();
                    }
                    case 4 -> compareStack(i, false, false, 0); // FUCOM
                    case 5 -> compareStack(i, false, false, 1); // FUCOMP
                    default -> throw CpuFault.of(CpuFault.UD);
                }
            }
            default -> { // DF
                switch (sub) {
                    case 0 -> { // FFREEP
                        r.tagValid &= ~(1 << f.phys(i));
                        f.pop();
                    }
                    case 1 -> fxch(i);
                    case 2, 3 -> { // aliases of FSTP
                        if (!f.empty(0)) f.set(i, f.se(0), f.m(0));
                        f.pop();
                    }
                    case 4 -> {
                        if (modrm != 0xe0) throw CpuFault.of(CpuFault.UD);
                        f.cpu.gpr[CpuState.RAX] = (f.cpu.gpr[CpuState.RAX] & ~0xffffL) | r.statusWord(); // FNSTSW AX
                    }
                    case 5 -> compareStack(i, true, false, 1); // FUCOMIP
                    case 6 -> compareStack(i, true, true, 1); // FCOMIP
                    default -> throw CpuFault.of(CpuFault.UD);
                }
            }
        }
    }

    private void fxch(int i) {
        if (f.empty(0) || f.empty(i)) {
            if (!f.underflow()) return;
            if (f.empty(0)) f.setIndefinite(0);
            if (f.empty(i)) f.setIndefinite(i);
        }
        int se = f.se(0);
        long m = f.m(0);
        f.set(0, f.se(i), f.m(i));
        f.set(i, se, m);
        r.fsw &= ~C1;
    }

    /** FCMOVB/E/BE/U (DA) and FCMOVNB/NE/NBE/NU (DB). */
    private void fcmov(int cond, int i, boolean negate) {
        long fl = f.cpu.rflags();
        boolean c = switch (cond) {
            case 0 -> (fl & CpuState.CF) != 0;
            case 1 -> (fl & CpuState.ZF) != 0;
            case 2 -> (fl & (CpuState.CF | CpuState.ZF)) != 0;
            default -> (fl & CpuState.PF) != 0;
        };
        if (f.empty(0) || f.empty(i)) {
            if (f.underflow()) f.setIndefinite(0);
            return;
        }
        if (c != negate) f.set(0, f.se(i), f.m(i));
    }

    private void d9(int sub, int i, int modrm) {
        switch (sub) {
            case 0 -> { // FLD ST(i)
                if (f.empty(i)) {
                    if (f.underflow()) f.push(Ext80.INDEFINITE_SE, Ext80.INDEFINITE_M);
                } else f.push(f.se(i), f.m(i));
            }
            case 1 -> fxch(i);
            case 2 -> {
                if (modrm != 0xd0) throw CpuFault.of(CpuFault.UD); // FNOP
            }
            case 3 -> { // FSTP1 alias
                if (!f.empty(0)) f.set(i, f.se(0), f.m(0));
                f.pop();
            }
            case 4 -> {
                switch (i) {
                    case 0 -> unary(0); // FCHS
                    case 1 -> unary(1); // FABS
                    case 4 -> { // FTST
                        compare(0, 0, 0, false, true);
                    }
                    case 5 -> fxam();
                    default -> throw CpuFault.of(CpuFault.UD);
                }
            }
            case 5 -> constant(i);
            case 6 -> {
                switch (i) {
                    case 0 -> transcendental(0); // F2XM1
                    case 1 -> binaryPop(0); // FYL2X
                    case 2 -> fptan();
                    case 3 -> binaryPop(1); // FPATAN
                    case 4 -> fxtract();
                    case 5 -> fprem(true);
                    case 6 -> { r.top = (r.top - 1) & 7; r.fsw &= ~C1; } // FDECSTP
                    default -> { r.top = (r.top + 1) & 7; r.fsw &= ~C1; } // FINCSTP
                }
            }
            default -> {
                switch (i) {
                    case 0 -> fprem(false);
                    case 1 -> binaryPop(2); // FYL2XP1
                    case 2 -> transcendental(1); // FSQRT
                    case 3 -> fsincos();
                    case 4 -> { // FRNDINT
                        if (!checkTop()) return;
                        int se = f.se(0);
                        long m = f.m(0);
                        if (Ext80.isNaN(se, m)) {
                            if (Ext80.isSNaN(se, m)) f.exc |= IE;
                            if (!f.suppressed()) f.set(0, se, m | 0x4000000000000000L);
                            return;
                        }
                        x.roundToInteger(se, m, f.rc());
                        if (x.inexact) f.exc |= X87.PE;
                        if (x.roundedUp) r.fsw |= C1;
                        f.set(0, x.se, x.m);
                    }
                    case 5 -> fscale();
                    case 6 -> transcendental(2); // FSIN
                    default -> transcendental(3); // FCOS
                }
            }
        }
    }

    /** ST(0) present; otherwise the masked underflow response (indefinite) and false. */
    private boolean checkTop() {
        if (!f.empty(0)) return true;
        if (f.underflow()) f.setIndefinite(0);
        return false;
    }

    private void unary(int which) {
        if (!checkTop()) return;
        int se = f.se(0);
        f.set(0, which == 0 ? se ^ 0x8000 : se & 0x7fff, f.m(0));
        r.fsw &= ~C1;
    }

    private static final long[] CONST_M = {0x8000000000000000L, 0xd49a784bcd1b8afeL, 0xb8aa3b295c17f0bcL,
            0xc90fdaa22168c235L, 0x9a209a84fbcff799L, 0xb17217f7d1cf79acL, 0};
    private static final int[] CONST_SE = {0x3fff, 0x4000, 0x3fff, 0x4000, 0x3ffd, 0x3ffe, 0};

    /** FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (D9 E8-EE): the nearest 80-bit values. */
    private void constant(int i) {
        if (i == 7) throw CpuFault.of(CpuFault.UD);
        f.push(CONST_SE[i], CONST_M[i]);
    }

    private void fxam() {
        int cc;
        int se = f.se(0);
        long m = f.m(0);
        if (f.empty(0)) cc = C3 | C0;
        else if (Ext80.isNaN(se, m)) cc = C0;
        else if (Ext80.isInf(se, m)) cc = C2 | C0;
        else if (m == 0) cc = C3;
        else if ((se & 0x7fff) == 0) cc = C3 | C2;
        else if (m < 0) cc = C2;
        else cc = 0;
        if ((se & 0x8000) != 0) cc |= C1;
        f.setCc(cc);
    }

    /** One-operand functions of ST(0): 0 F2XM1, 1 FSQRT, 2 FSIN, 3 FCOS. */
    private void transcendental(int which) {
        if (!checkTop()) return;
        int se = f.se(0);
        long m = f.m(0);
        if (Ext80.isNaN(se, m)) {
            if (Ext80.isSNaN(se, m)) f.exc |= IE;
            if (!f.suppressed()) f.set(0, se, m | 0x4000000000000000L);
            return;
        }
        double v = f.d(0);
        if (which >= 2) {
            if (Math.abs(v) >= 0x1p63 && !Double.isInfinite(v)) {
                r.fsw |= C2; // out of range: the operand is left for the program to reduce
                return;
            }
            r.fsw &= ~C2;
        }
        if (which == 1) { // FSQRT: correctly rounded like the arithmetic
            x.fromDoubleBits(dbl(SseMath.SQRT, 0, Double.doubleToRawLongBits(v)));
            if (!f.suppressed()) f.set(0, x.se, x.m);
            return;
        }
        double res = switch (which) {
            case 0 -> Math.expm1(v * LN2);
            case 1 -> Math.sqrt(v);
            case 2 -> Math.sin(v);
            default -> Math.cos(v);
        };
        if (result(res, false, true)) f.set(0, x.se, x.m);
    }

    /** ST(1) = f(ST(1), ST(0)), pop: 0 FYL2X, 1 FPATAN, 2 FYL2XP1. */
    private void binaryPop(int which) {
        if (f.empty(0) || f.empty(1)) {
            if (!f.underflow()) return;
            f.setIndefinite(1);
            f.pop();
            return;
        }
        if (Ext80.isNaN(f.se(0), f.m(0)) || Ext80.isNaN(f.se(1), f.m(1))) {
            if (arith(0, f.se(1), f.m(1), f.se(0), f.m(0))) { // NaN propagation only
                f.set(1, x.se, x.m);
                f.pop();
            }
            return;
        }
        double x0 = f.d(0), y = f.d(1);
        double v = switch (which) {
            case 0 -> y * (Math.log(x0) / LN2);
            case 1 -> Math.atan2(y, x0);
            default -> y * (Math.log1p(x0) / LN2);
        };
        boolean zero = which == 0 && x0 == 0 && y != 0 && !Double.isInfinite(y);
        if (result(v, zero, true)) {
            f.set(1, x.se, x.m);
            f.pop();
        }
    }

    private void fptan() {
        if (!checkTop()) return;
        double v = f.d(0);
        if (Math.abs(v) >= 0x1p63 && !Double.isInfinite(v)) {
            r.fsw |= C2;
            return;
        }
        r.fsw &= ~C2;
        if (!result(Math.tan(v), false, true)) return;
        f.set(0, x.se, x.m);
        if (!Ext80.isNaN(x.se, x.m)) f.pushDouble(1.0);
    }

    private void fsincos() {
        if (!checkTop()) return;
        double v = f.d(0);
        if (Math.abs(v) >= 0x1p63 && !Double.isInfinite(v)) {
            r.fsw |= C2;
            return;
        }
        r.fsw &= ~C2;
        double s = Math.sin(v), c = Math.cos(v);
        if (!result(s, false, true)) return;
        f.set(0, x.se, x.m);
        f.pushDouble(c);
    }

    /** FXTRACT: ST(0) = unbiased exponent, then push the significand (exponent 0). */
    private void fxtract() {
        if (!checkTop()) return;
        int se = f.se(0);
        long m = f.m(0);
        if (Ext80.isNaN(se, m)) {
            if (Ext80.isSNaN(se, m)) f.exc |= IE;
            if (f.suppressed()) return;
            m |= 0x4000000000000000L;
            f.set(0, se, m);
            f.push(se, m);
            return;
        }
        if (Ext80.isInf(se, m)) {
            f.set(0, 0x7fff, m);
            f.push(se, m);
            return;
        }
        if (m == 0) {
            f.exc |= ZE;
            if (f.suppressed()) return;
            f.setDouble(0, Double.NEGATIVE_INFINITY);
            f.push(se, 0);
            return;
        }
        int lz = Long.numberOfLeadingZeros(m);
        int e = Math.max(se & 0x7fff, 1) - 16383 - lz;
        f.setDouble(0, e);
        f.push((se & 0x8000) | 16383, m << lz);
    }

    /** FSCALE: ST(0) * 2^trunc(ST(1)), exactly on the exponent when it stays in range. */
    private void fscale() {
        if (f.empty(0) || f.empty(1)) {
            if (f.underflow()) f.setIndefinite(0);
            return;
        }
        int se = f.se(0);
        long m = f.m(0);
        double s = f.d(1);
        if (!Ext80.unsupported(se, m) && !Ext80.unsupported(f.se(1), f.m(1)) && (Ext80.isNaN(se, m) || Double.isNaN(s))) {
            if (arith(0, se, m, f.se(1), f.m(1))) f.set(0, x.se, x.m);
            return;
        }
        if (Ext80.unsupported(se, m) || Ext80.unsupported(f.se(1), f.m(1))
                || (Ext80.isInf(se, m) && Double.isInfinite(s) && (s < 0) == (m != 0 && (se & 0x8000) == 0))
                || (m == 0 && s == Double.POSITIVE_INFINITY)) {
            f.exc |= IE; // unsupported operands, inf * 2^-inf, 0 * 2^inf
            if (!f.suppressed()) f.setIndefinite(0);
            return;
        }
        if (m == 0 || Ext80.isInf(se, m)) return; // zero and infinity scale to themselves
        if (Double.isInfinite(s)) {
            f.set(0, (se & 0x8000) | (s > 0 ? 0x7fff : 0), s > 0 ? 0x8000000000000000L : 0);
            return;
        }
        double n = s < 0 ? Math.ceil(s) : Math.floor(s);
        if ((se & 0x7fff) == 0) f.exc |= X87.DE;
        x.scale(se, m, (long) Math.max(-100000, Math.min(100000, n)), f.rc());
        if (x.overflow) f.exc |= OE;
        if (x.underflow) f.exc |= X87.UE;
        if (x.inexact) f.exc |= X87.PE;
        if (x.roundedUp) r.fsw |= C1;
        if (!f.suppressed()) f.set(0, x.se, x.m);
    }

    /** FPREM (truncating quotient) and FPREM1 (round-to-nearest quotient): complete in one step (C2 = 0). */
    private void fprem(boolean ieee) {
        if (f.empty(0) || f.empty(1)) {
            if (f.underflow()) f.setIndefinite(0);
            return;
        }
        double a = f.d(0), b = f.d(1);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            if (arith(0, f.se(0), f.m(0), f.se(1), f.m(1))) f.set(0, x.se, x.m);
            return;
        }
        if (Double.isInfinite(a) || b == 0) {
            f.exc |= IE;
            if (!f.suppressed()) f.setIndefinite(0);
            return;
        }
        double rem = ieee ? Math.IEEEremainder(a, b) : a % b;
        double q = Double.isInfinite(b) ? 0 : Math.abs((a - rem) / b);
        long qi = q >= 0x1p62 ? 0 : (long) Math.rint(q);
        int cc = ((qi & 1) != 0 ? C1 : 0) | ((qi & 2) != 0 ? C3 : 0) | ((qi & 4) != 0 ? C0 : 0);
        f.setCc(cc);
        f.setDouble(0, rem == 0 ? Math.copySign(0.0, a) : rem);
    }
}
