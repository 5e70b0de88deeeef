package org.jvirt.vmm.emu.fpu;

/**
 * Exact conversions between the x87 80-bit extended format (a 16-bit sign+exponent and a 64-bit
 * significand with explicit integer bit) and double, float and 16/32/64-bit integers, with the
 * four x87/MXCSR rounding modes (0 nearest-even, 1 down, 2 up, 3 toward zero). One instance per
 * user: conversions to 80 bits leave their result in {@link #se}/{@link #m}, and every
 * conversion reports {@link #inexact}, {@link #invalid} and {@link #overflow} in fields, so
 * nothing is allocated.
 */
final class Ext80 {
    static final int INDEFINITE_SE = 0xffff;
    static final long INDEFINITE_M = 0xc000000000000000L;

    int se;
    long m;
    boolean inexact, invalid, overflow, underflow;
    /** The last conversion increased the magnitude (the x87 reports this in C1). */
    boolean roundedUp;

    static boolean isNaN(int se, long m) { return (se & 0x7fff) == 0x7fff && (m << 1) != 0; }

    static boolean isInf(int se, long m) { return (se & 0x7fff) == 0x7fff && (m << 1) == 0; }

    /** Unnormals, pseudo-infinities and pseudo-NaNs (integer bit clear with a nonzero exponent): invalid operands. */
    static boolean unsupported(int se, long m) { return (se & 0x7fff) != 0 && m >= 0; }

    static boolean isSNaN(int se, long m) { return isNaN(se, m) && (m & 0x4000000000000000L) == 0; }

    void fromDouble(double d) { fromDoubleBits(Double.doubleToRawLongBits(d)); }

    /** From a binary64 bit pattern (taken as bits so an SNaN is not quieted on the way). */
    void fromDoubleBits(long bits) {
        int sign = (int) (bits >>> 48) & 0x8000;
        int exp = (int) (bits >>> 52) & 0x7ff;
        long frac = bits & 0x000fffffffffffffL;
        if (exp == 0x7ff) {
            se = sign | 0x7fff;
            m = 0x8000000000000000L | (frac << 11);
        } else if (exp == 0) {
            if (frac == 0) {
                se = sign;
                m = 0;
            } else {
                long mm = frac << 11;
                int lz = Long.numberOfLeadingZeros(mm);
                m = mm << lz;
                se = sign | (-1022 - lz + 16383);
            }
        } else {
            m = 0x8000000000000000L | (frac << 11);
            se = sign | (exp - 1023 + 16383);
        }
    }

    /** From a binary32 bit pattern, exactly (NaN payloads kept). */
    void fromFloatBits(int bits) {
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        long frac = bits & 0x7fffffL;
        if (exp == 0xff) {
            se = sign | 0x7fff;
            m = 0x8000000000000000L | (frac << 40);
        } else if (exp == 0) {
            if (frac == 0) {
                se = sign;
                m = 0;
            } else {
                long mm = frac << 40;
                int lz = Long.numberOfLeadingZeros(mm);
                m = mm << lz;
                se = sign | (-126 - lz + 16383);
            }
        } else {
            m = 0x8000000000000000L | (frac << 40);
            se = sign | (exp - 127 + 16383);
        }
    }

    /** An integer, exactly. */
    void fromLong(long v) {
        if (v == 0) {
            se = 0;
            m = 0;
            return;
        }
        boolean neg = v < 0;
        long a = neg ? -v : v; // Long.MIN_VALUE stays 2^63 as an unsigned value
        int lz = Long.numberOfLeadingZeros(a);
        m = a << lz;
        se = (neg ? 0x8000 : 0) | (63 - lz + 16383);
    }

    /** The unbiased exponent of a finite nonzero value after normalizing its significand into {@link #m}. */
    private int normalize(int se, long mant) {
        int exp = se & 0x7fff;
        int lz = Long.numberOfLeadingZeros(mant);
        m = mant << lz;
        return (exp == 0 ? 1 : exp) - 16383 - lz;
    }

    /** mant >>> drop rounded per rc (drop >= 1; 65 and more mean every bit is below the unit). */
    private long roundBits(long mant, int drop, int rc, boolean neg) {
        long kept;
        boolean half, sticky;
        if (drop >= 65) {
            kept = 0;
            half = false;
            sticky = mant != 0;
        } else if (drop == 64) {
            kept = 0;
            half = mant < 0;
            sticky = (mant << 1) != 0;
        } else {
            kept = mant >>> drop;
            long rem = mant << (64 - drop);
            half = rem < 0;
            sticky = (rem << 1) != 0;
        }
        boolean inex = half || sticky;
        inexact |= inex;
        boolean up = switch (rc) {
            case 0 -> half && (sticky || (kept & 1) != 0);
            case 1 -> neg && inex;
            case 2 -> !neg && inex;
            default -> false;
        };
        roundedUp |= up;
        return up ? kept + 1 : kept;
    }

    private void clearFlags() {
        inexact = invalid = overflow = underflow = roundedUp = false;
    }

    double toDouble(int se, long mant, int rc) {
        clearFlags();
        return toBinary(se, mant, rc, 53, -1022, Double.MAX_VALUE);
    }

    float toFloat(int se, long mant, int rc) {
        clearFlags();
        return (float) toBinary(se, mant, rc, 24, -126, Float.MAX_VALUE);
    }

    /** Rounds to a binary format of p bits and minimum normal exponent emin, as a double holding it exactly. */
    private double toBinary(int se, long mant, int rc, int p, int emin, double max) {
        boolean neg = (se & 0x8000) != 0;
        if (unsupported(se, mant)) {
            invalid = true;
            return p == 24 ? Float.intBitsToFloat(0xffc00000) : Double.longBitsToDouble(0xfff8000000000000L);
        }
        if ((se & 0x7fff) == 0x7fff) {
            if ((mant << 1) == 0) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            invalid = (mant & 0x4000000000000000L) == 0; // an SNaN is quieted with IE
            long frac = ((mant << 1) >>> 12) | 0x0008000000000000L;
            double nan = Double.longBitsToDouble((neg ? 0x8000000000000000L : 0) | 0x7ff0000000000000L | frac);
            if (p == 24) return Float.intBitsToFloat((neg ? 0x80000000 : 0) | 0x7fc00000 | (int) ((mant << 1) >>> 41));
            return nan;
        }
        if (mant == 0) return neg ? -0.0 : 0.0;
        int e = normalize(se, mant);
        double v;
        if (e >= emin) {
            long kept = roundBits(m, 64 - p, rc, neg);
            v = Math.scalb((double) kept, e - p + 1);
        } else {
            int drop = Math.min(65, 64 - p + (emin - e));
            long kept = roundBits(m, drop, rc, neg);
            v = Math.scalb((double) kept, emin - p + 1);
            underflow = inexact;
        }
        if (v > max) {
            overflow = inexact = true;
            boolean toInf = rc == 0 || (rc == 2 && !neg) || (rc == 1 && neg);
            roundedUp = toInf;
            v = toInf ? Double.POSITIVE_INFINITY : max;
        }
        return neg ? -v : v;
    }

    /** To a signed integer of 16, 32 or 64 bits; NaN, infinity and overflow give the indefinite (sign bit only) with invalid. */
    long toInt(int se, long mant, int rc, int bits) {
        clearFlags();
        long indefinite = 1L << (bits - 1);
        if ((se & 0x7fff) == 0x7fff || unsupported(se, mant)) {
            invalid = true;
            return indefinite;
        }
        if (mant == 0) return 0;
        boolean neg = (se & 0x8000) != 0;
        int e = normalize(se, mant);
        long kept;
        if (e >= 63) {
            if (e > 63) {
                invalid = true;
                return indefinite;
            }
            kept = m;
        } else {
            kept = roundBits(m, Math.min(65, 63 - e), rc, neg);
        }
        // kept is unsigned; the range is [-2^(bits-1), 2^(bits-1) - 1]
        if (Long.compareUnsigned(kept, neg ? indefinite : indefinite - 1) > 0) {
            invalid = true;
            inexact = false;
            return indefinite;
        }
        return neg ? -kept : kept;
    }

    /** FRNDINT: the value rounded to an integer per rc, into se/m. */
    void roundToInteger(int se, long mant, int rc) {
        clearFlags();
        this.se = se;
        this.m = mant;
        if ((se & 0x7fff) == 0x7fff || mant == 0) return;
        boolean neg = (se & 0x8000) != 0;
        int e = normalize(se, mant);
        if (e >= 63) {
            this.se = (se & 0x8000) | (e + 16383);
            return;
        }
        long kept = roundBits(m, Math.min(65, 63 - e), rc, neg);
        if (kept == 0) {
            this.se = se & 0x8000;
            this.m = 0;
            return;
        }
        int lz = Long.numberOfLeadingZeros(kept);
        this.m = kept << lz;
        this.se = (se & 0x8000) | (63 - lz + 16383);
    }

    /**
     * FSCALE on a finite nonzero value: value * 2^n exactly, into se/m, denormalizing (with
     * rounding per rc) below the 80-bit normal range and overflowing to infinity or the largest
     * value above it.
     */
    void scale(int se, long mant, long n, int rc) {
        clearFlags();
        boolean neg = (se & 0x8000) != 0;
        int e = normalize(se, mant); // unbiased, m normalized
        long ne = (long) e + n + 16383;
        if (ne >= 0x7fff) {
            overflow = inexact = true;
            boolean toInf = rc == 0 || (rc == 2 && !neg) || (rc == 1 && neg);
            roundedUp = toInf;
            this.se = (se & 0x8000) | (toInf ? 0x7fff : 0x7ffe);
            this.m = toInf ? 0x8000000000000000L : -1L;
            return;
        }
        if (ne >= 1) {
            this.se = (se & 0x8000) | (int) ne;
            return;
        }
        long shift = 1 - ne; // the denormal encoding has exponent field 0 and weight 2^-16382
        long kept = roundBits(m, (int) Math.min(65, shift), rc, neg);
        underflow = inexact;
        this.m = kept;
        this.se = (se & 0x8000) | (kept < 0 ? 1 : 0); // rounding up into the normal range
    }

    /** Compares two finite-or-infinite non-NaN values exactly: -1, 0, 1. */
    static int compare(int se1, long m1, int se2, long m2) {
        boolean z1 = m1 == 0, z2 = m2 == 0;
        if (z1 && z2) return 0;
        boolean n1 = (se1 & 0x8000) != 0, n2 = (se2 & 0x8000) != 0;
        if (z1) return n2 ? 1 : -1;
        if (z2) return n1 ? -1 : 1;
        if (n1 != n2) return n1 ? -1 : 1;
        int mag = compareMagnitude(se1, m1, se2, m2);
        return n1 ? -mag : mag;
    }

    private static int compareMagnitude(int se1, long m1, int se2, long m2) {
        int lz1 = Long.numberOfLeadingZeros(m1), lz2 = Long.numberOfLeadingZeros(m2);
        int e1 = Math.max(se1 & 0x7fff, 1) - lz1, e2 = Math.max(se2 & 0x7fff, 1) - lz2;
        if ((se1 & 0x7fff) == 0x7fff) e1 = Integer.MAX_VALUE;
        if ((se2 & 0x7fff) == 0x7fff) e2 = Integer.MAX_VALUE;
        if (e1 != e2) return e1 < e2 ? -1 : 1;
        return Long.compareUnsigned(m1 << lz1, m2 << lz2);
    }
}
