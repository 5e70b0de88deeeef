package org.jvirt.vmm.emu.fpu;

/**
 * IEEE arithmetic for the SSE unit with MXCSR semantics, on raw bit patterns so that SNaNs are
 * seen before Java would quiet them. Each operation is computed in double with an exact error
 * sign (TwoSum for add/sub, FMA residues for mul/div/sqrt), which gives correctly rounded
 * results in all four MXCSR rounding modes and exact inexact (PE) detection; single precision
 * goes through the same double result (double rounding is innocuous for + - * / sqrt at these
 * precisions, and the error sign settles directed-rounding ties). Exception flags accumulate in
 * {@link #flags} (MXCSR bits 0-5) for the caller to merge. Underflow: tininess after rounding.
 */
final class SseMath {
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, SQRT = 4, MIN = 5, MAX = 6;
    static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;
    static final long DEFAULT_NAN_D = 0xfff8000000000000L;
    static final int DEFAULT_NAN_S = 0xffc00000;

    /** Exception flags raised since the caller last cleared them. */
    int flags;
    /** MXCSR in effect (rounding control, DAZ, FTZ), set by the caller per instruction. */
    int mxcsr;

    private int err; // sign of (exact - rounded) of the last compute()
    /** A denormal operand was seen; DE is reported only if the operation raises no IE or ZE. */
    private boolean pendingDe;

    int rc() { return (mxcsr >> 13) & 3; }

    private boolean daz() { return (mxcsr & 0x40) != 0; }

    private boolean ftz() { return (mxcsr & 0x8000) != 0; }

    private boolean underflowUnmasked() { return (mxcsr & 0x800) == 0; }

    static boolean isNaN(long d) { return (d & 0x7fffffffffffffffL) > 0x7ff0000000000000L; }

    static boolean isSNaN(long d) { return isNaN(d) && (d & 0x0008000000000000L) == 0; }

    static boolean isNaN(int f) { return (f & 0x7fffffff) > 0x7f800000; }

    static boolean isSNaN(int f) { return isNaN(f) && (f & 0x00400000) == 0; }

    /** An operand after DAZ (denormal to signed zero), noting DE for a denormal otherwise. */
    private double inD(long bits) {
        if ((bits & 0x7ff0000000000000L) == 0 && (bits & 0x000fffffffffffffL) != 0) {
            if (daz()) return Double.longBitsToDouble(bits & 0x8000000000000000L);
            pendingDe = true;
        }
        return Double.longBitsToDouble(bits);
    }

    private double inS(int bits) {
        if ((bits & 0x7f800000) == 0 && (bits & 0x007fffff) != 0) {
            if (daz()) return Float.intBitsToFloat(bits & 0x80000000);
            pendingDe = true;
        }
        return Float.intBitsToFloat(bits);
    }

    /**
     * With an unmasked overflow or underflow no result is delivered, and PE reports whether the
     * result rounded to the destination's precision with an unbounded exponent is inexact (as the
     * host CPU does: OE alone for an exact doubling, OE|PE for an inexact quotient). Recomputed
     * on operands scaled by powers of two back into range (products and quotients: each operand
     * to [1, 2); sums: both by the larger one's exponent).
     */
    private void trappedPrecision(int op, double x, double y, boolean single) {
        if ((flags & (OE | UE) & ~(mxcsr >> 7)) == 0) return;
        double xs = x, ys = y;
        if (op == ADD || op == SUB) {
            int s = -Math.max(Math.getExponent(x), Math.getExponent(y));
            xs = Math.scalb(x, s);
            ys = Math.scalb(y, s);
        } else if (op == MUL || op == DIV) {
            xs = Math.scalb(x, -Math.getExponent(x));
            ys = Math.scalb(y, -Math.getExponent(y));
        }
        int savedErr = err;
        double r = compute(op, xs, ys);
        boolean exact = err == 0 && (!single || (Double.doubleToRawLongBits(r) & 0x1FFFFFFFL) == 0);
        err = savedErr;
        flags = exact ? flags & ~PE : flags | PE;
    }

    /** An operand's bits with DAZ applied (a denormal becomes a signed zero) and nothing noted. */
    private long dazBits(long bits) {
        return daz() && (bits & 0x7ff0000000000000L) == 0 ? bits & 0x8000000000000000L : bits;
    }

    private int dazBits(int bits) {
        return daz() && (bits & 0x7f800000) == 0 ? bits & 0x80000000 : bits;
    }

    /** A compare or conversion operand: DAZ applied; DE noted (compares) when not flushed. */
    double operandD(long bits, boolean noteDenormal) {
        pendingDe = false;
        double v = inD(bits);
        if (pendingDe && noteDenormal) flags |= DE;
        return v;
    }

    double operandS(int bits, boolean noteDenormal) {
        pendingDe = false;
        double v = inS(bits);
        if (pendingDe && noteDenormal) flags |= DE;
        return v;
    }

    long opD(int op, long a, long b) {
        if (op == SQRT) a = b; // the destination's value plays no part
        if (isNaN(a) || isNaN(b)) {
            if (op == MIN || op == MAX) {
                flags |= IE;
                return dazBits(b); // the source, as DAZ left it
            }
            if (isSNaN(a) || isSNaN(b)) flags |= IE;
            if (op == SQRT) return b | 0x0008000000000000L;
            return (isNaN(a) ? a : b) | 0x0008000000000000L;
        }
        pendingDe = false;
        double y = inD(b), x = op == SQRT ? y : inD(a);
        int outer = flags;
        flags = 0;
        long res = finishD(op, a, b, x, y);
        trappedPrecision(op, x, y, false);
        if (pendingDe && (flags & (IE | ZE)) == 0) flags |= DE;
        flags |= outer;
        return res;
    }

    private long finishD(int op, long a, long b, double x, double y) {
        // MIN/MAX return an operand as DAZ left it: a flushed denormal comes back as a signed zero
        if (op == MIN) return Double.doubleToRawLongBits(x < y ? x : y);
        if (op == MAX) return Double.doubleToRawLongBits(x > y ? x : y);
        double r = compute(op, x, y);
        if (Double.isNaN(r)) {
            flags |= IE;
            return DEFAULT_NAN_D;
        }
        if (Double.isInfinite(r) && (op == SQRT ? !Double.isInfinite(y) : !Double.isInfinite(x) && !Double.isInfinite(y))) {
            if (op == DIV && y == 0) {
                flags |= ZE;
                return Double.doubleToRawLongBits(r);
            }
            flags |= OE | PE;
            return Double.doubleToRawLongBits(overflow(r > 0, Double.MAX_VALUE));
        }
        if (err != 0) {
            r = directed(r, err);
            flags |= Double.isInfinite(r) ? PE | OE : PE;
        }
        if (r != 0 && Math.abs(r) < Double.MIN_NORMAL || err != 0 && r == 0) {
            if (underflowUnmasked()) flags |= UE; // an enabled underflow trap fires on tininess alone, exact or not
            else if (ftz()) {
                flags |= UE | PE;
                r = Math.copySign(0.0, r);
            } else if (err != 0) flags |= UE;
        }
        return Double.doubleToRawLongBits(r);
    }

    int opS(int op, int a, int b) {
        if (op == SQRT) a = b; // the destination's value plays no part
        if (isNaN(a) || isNaN(b)) {
            if (op == MIN || op == MAX) {
                flags |= IE;
                return dazBits(b);
            }
            if (isSNaN(a) || isSNaN(b)) flags |= IE;
            if (op == SQRT) return b | 0x00400000;
            return (isNaN(a) ? a : b) | 0x00400000;
        }
        pendingDe = false;
        double y = inS(b), x = op == SQRT ? y : inS(a);
        int outer = flags;
        flags = 0;
        int res = finishS(op, a, b, x, y);
        trappedPrecision(op, x, y, true);
        if (pendingDe && (flags & (IE | ZE)) == 0) flags |= DE;
        flags |= outer;
        return res;
    }

    private int finishS(int op, int a, int b, double x, double y) {
        if (op == MIN) return Float.floatToRawIntBits((float) (x < y ? x : y));
        if (op == MAX) return Float.floatToRawIntBits((float) (x > y ? x : y));
        double r = compute(op, x, y);
        if (Double.isNaN(r)) {
            flags |= IE;
            return DEFAULT_NAN_S;
        }
        if (op == DIV && y == 0 && !Double.isInfinite(x)) {
            flags |= ZE;
            return Float.floatToRawIntBits((float) r);
        }
        return Float.floatToRawIntBits(toSingle(r, err));
    }

    /** Rounds a double (with the sign of its own error) to single per MXCSR, raising OE/UE/PE. */
    float toSingle(double r, int errSign) {
        int before = flags;
        flags = 0;
        float f = roundToSingle(r, errSign);
        if ((flags & (OE | UE) & ~(mxcsr >> 7)) != 0) {
            // an unmasked overflow/underflow delivers no result: PE only if the significand was rounded
            boolean exact = errSign == 0 && (Double.doubleToRawLongBits(Math.scalb(r, -Math.getExponent(r))) & 0x1FFFFFFFL) == 0;
            flags = exact ? flags & ~PE : flags | PE;
        }
        flags |= before;
        return f;
    }

    private float roundToSingle(double r, int errSign) {
        if (Double.isInfinite(r) || r == 0 && errSign == 0) return (float) r;
        float f = (float) r;
        int dir = (double) f != r ? (r > f ? 1 : -1) : errSign;
        if (Float.isInfinite(f)) {
            flags |= OE | PE;
            return (float) overflow(r > 0, Float.MAX_VALUE);
        }
        if (dir != 0) {
            flags |= PE;
            f = directedS(f, dir);
            if (Float.isInfinite(f)) flags |= OE;
        }
        if (Math.abs(f) < Float.MIN_NORMAL && (f != 0 || dir != 0)) {
            if (underflowUnmasked()) flags |= UE;
            else if (ftz()) {
                flags |= UE | PE;
                f = Math.copySign(0.0f, f);
            } else if (dir != 0) flags |= UE;
        }
        return f;
    }

    private double compute(int op, double x, double y) {
        double r;
        switch (op) {
            case ADD, SUB -> {
                if (op == SUB) y = -y;
                r = x + y;
                if (Double.isInfinite(r) || Double.isNaN(r)) {
                    err = 0;
                    return r;
                }
                double bb = r - x;
                err = sign((x - (r - bb)) + (y - bb));
                // An exact zero sum is -0 when rounding down, unless both addends are +0.
                if (r == 0 && rc() == RC_DOWN
                        && (Double.doubleToRawLongBits(x) != 0 || Double.doubleToRawLongBits(y) != 0)) r = -0.0;
            }
            // The residuals are scaled by powers of two near the bottom of the range, where they would underflow.
            case MUL -> {
                r = x * y;
                if (!finite(r)) err = 0;
                else if (Math.abs(r) >= 0x1p-900) err = sign(Math.fma(x, y, -r));
                else {
                    int sx = Math.max(-1000, Math.min(1000, -Math.getExponent(x)));
                    int sy = Math.max(-1000, Math.min(1000, -Math.getExponent(y)));
                    err = sign(Math.fma(Math.scalb(x, sx), Math.scalb(y, sy), -Math.scalb(r, sx + sy)));
                }
            }
            case DIV -> {
                r = x / y;
                if (!finite(r) || y == 0) err = 0;
                else if ((Math.abs(x) < 0x1p-900 || Math.abs(r) < 0x1p-900) && Math.abs(x) < 0x1p600)
                    err = sign(-Math.fma(Math.scalb(r, 400), y, -Math.scalb(x, 400))) * (y < 0 ? -1 : 1);
                else err = sign(-Math.fma(r, y, -x)) * (y < 0 ? -1 : 1);
            }
            default -> { // SQRT of the source
                r = Math.sqrt(y);
                if (!finite(r)) err = 0;
                else if (y < 0x1p-900) err = sign(-Math.fma(Math.scalb(r, 300), Math.scalb(r, 300), -Math.scalb(y, 600)));
                else err = sign(-Math.fma(r, r, -y));
            }
        }
        return r;
    }

    private static boolean finite(double r) { return !Double.isInfinite(r) && !Double.isNaN(r); }

    private static int sign(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

    /** The correctly rounded result under a directed mode, from the nearest one and the error sign. */
    double directed(double r, int dir) {
        return switch (rc()) {
            case RC_DOWN -> dir < 0 ? Math.nextDown(r) : r;
            case RC_UP -> dir > 0 ? Math.nextUp(r) : r;
            case RC_ZERO -> (dir < 0 && r > 0) ? Math.nextDown(r) : (dir > 0 && r < 0) ? Math.nextUp(r) : r;
            default -> r;
        };
    }

    private float directedS(float f, int dir) {
        return switch (rc()) {
            case RC_DOWN -> dir < 0 ? Math.nextDown(f) : f;
            case RC_UP -> dir > 0 ? Math.nextUp(f) : f;
            case RC_ZERO -> (dir < 0 && f > 0) ? Math.nextDown(f) : (dir > 0 && f < 0) ? Math.nextUp(f) : f;
            default -> f;
        };
    }

    private double overflow(boolean positive, double max) {
        int rc = rc();
        boolean toInf = rc == RC_NEAREST || (rc == RC_UP && positive) || (rc == RC_DOWN && !positive);
        double m = toInf ? Double.POSITIVE_INFINITY : max;
        return positive ? m : -m;
    }

    /**
     * Float to integer (32 or 64 bits) with the MXCSR rounding mode, or truncation; NaN and
     * out-of-range values give the integer indefinite (sign bit only) and IE.
     */
    long toInt(double x, boolean truncate, boolean wide) {
        if (Double.isNaN(x)) {
            flags |= IE;
            return wide ? Long.MIN_VALUE : 0x80000000L;
        }
        double v = truncate ? (x < 0 ? Math.ceil(x) : Math.floor(x)) : roundInt(x, rc());
        double lim = wide ? 0x1p63 : 0x1p31;
        if (v >= lim || v < -lim) {
            flags |= IE;
            return wide ? Long.MIN_VALUE : 0x80000000L;
        }
        if (v != x) flags |= PE;
        long i = (long) v;
        return wide ? i : i & 0xffffffffL;
    }

    static double roundInt(double x, int rc) {
        return switch (rc) {
            case RC_DOWN -> Math.floor(x);
            case RC_UP -> Math.ceil(x);
            case RC_ZERO -> x < 0 ? Math.ceil(x) : Math.floor(x);
            default -> Math.rint(x);
        };
    }

    /** An integer to double with the MXCSR rounding mode (exact for 32-bit sources). */
    double fromLongD(long v) {
        double r = (double) v;
        int dir = r >= 0x1p63 ? -1 : Long.signum(v - (long) r);
        if (dir != 0) {
            flags |= PE;
            r = directed(r, dir);
        }
        return r;
    }

    float fromLongS(long v) {
        float f = (float) v;
        int dir = f >= 0x1p63f ? -1 : Long.signum(v - (long) f);
        if (dir != 0) {
            flags |= PE;
            f = directedS(f, dir);
        }
        return f;
    }

    /** Single to double: exact; an SNaN is quieted with IE. */
    long widen(int f) {
        if (isNaN(f)) {
            if (isSNaN(f)) flags |= IE;
            long sign = (long) (f >>> 31) << 63;
            return sign | 0x7ff8000000000000L | ((long) (f & 0x3fffff) << 29);
        }
        return Double.doubleToRawLongBits(operandS(f, true));
    }

    /** Double to single with the MXCSR rounding mode. */
    int narrow(long d) {
        if (isNaN(d)) {
            if (isSNaN(d)) flags |= IE;
            int sign = (int) (d >>> 63) << 31;
            return sign | 0x7fc00000 | (int) ((d >>> 29) & 0x3fffff);
        }
        return Float.floatToRawIntBits(toSingle(operandD(d, true), 0));
    }
}
