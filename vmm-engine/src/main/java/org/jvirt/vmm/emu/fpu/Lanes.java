package org.jvirt.vmm.emu.fpu;

/**
 * Element-wise integer operations on the lanes of one 64-bit word (the MMX register, or either
 * half of an XMM register: every element-wise op works on each half independently). Element
 * width {@code bits} is 8, 16, 32 or 64.
 */
final class Lanes {
    static final int ADD = 0, SUB = 1, ADDS = 2, ADDUS = 3, SUBS = 4, SUBUS = 5, EQ = 6, GT = 7, MINU = 8, MAXU = 9,
            MINS = 10, MAXS = 11, AVGU = 12, MULLO = 13, MULHS = 14, MULHU = 15, MULHRS = 16, ABS = 17, SIGN = 18;

    private Lanes() { }

    static long apply(int fn, int bits, long a, long b) {
        if (bits == 8 && fn == EQ) return eqBytes(a, b);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        int shift = 64 - bits;
        long smin = -(1L << (bits - 1)), smax = (1L << (bits - 1)) - 1;
        long out = 0;
        for (int pos = 0; pos < 64; pos += bits) {
            long x = (a >>> pos) & mask, y = (b >>> pos) & mask;
            long sx = (x << shift) >> shift, sy = (y << shift) >> shift;
            long v = switch (fn) {
                case ADD -> x + y;
                case SUB -> x - y;
                case ADDS -> clamp(sx + sy, smin, smax);
                case ADDUS -> Math.min(x + y, mask);
                case SUBS -> clamp(sx - sy, smin, smax);
                case SUBUS -> Math.max(x - y, 0);
                case EQ -> x == y ? -1 : 0;
                case GT -> sx > sy ? -1 : 0;
                case MINU -> Long.compareUnsigned(x, y) <= 0 ? x : y;
                case MAXU -> Long.compareUnsigned(x, y) >= 0 ? x : y;
                case MINS -> Math.min(sx, sy);
                case MAXS -> Math.max(sx, sy);
                case AVGU -> (x + y + 1) >>> 1;
                case MULLO -> sx * sy;
                case MULHS -> (sx * sy) >> bits;
                case MULHU -> (x * y) >>> bits;
                case MULHRS -> (((sx * sy) >> 14) + 1) >> 1;
                case ABS -> Math.abs(sy);
                case SIGN -> sy < 0 ? -sx : sy == 0 ? 0 : sx;
                default -> throw new IllegalArgumentException("lane op " + fn);
            };
            out |= (v & mask) << pos;
        }
        return out;
    }

    /** PCMPEQB without a loop: 0xFF in each byte where a and b agree. */
    static long eqBytes(long a, long b) {
        long x = a ^ b;
        long nonzero = ((x & 0x7f7f7f7f7f7f7f7fL) + 0x7f7f7f7f7f7f7f7fL) | x;
        long zeroHigh = ~nonzero & 0x8080808080808080L;
        return (zeroHigh >>> 7) * 0xff;
    }

    private static long clamp(long v, long lo, long hi) { return v < lo ? lo : v > hi ? hi : v; }

    /** Shifts every element: kind 0 = logical right, 1 = arithmetic right, 2 = left; count unsigned. */
    static long shift(long v, int bits, int kind, long count) {
        if (Long.compareUnsigned(count, bits - 1) > 0) {
            if (kind != 1) return 0;
            count = bits - 1;
        }
        int n = (int) count;
        if (bits == 64) return kind == 0 ? v >>> n : kind == 1 ? v >> n : v << n;
        long mask = (1L << bits) - 1;
        int up = 64 - bits;
        long out = 0;
        for (int pos = 0; pos < 64; pos += bits) {
            long x = (v >>> pos) & mask;
            long y = kind == 0 ? x >>> n : kind == 1 ? ((x << up) >> up) >> n : x << n;
            out |= (y & mask) << pos;
        }
        return out;
    }

    static final int PACK_SSWB = 0, PACK_USWB = 1, PACK_SSDW = 2, PACK_USDW = 3, HADD_W = 4, HADD_D = 5,
            HADDS_W = 6, HSUB_W = 7, HSUB_D = 8, HSUBS_W = 9;

    /** Narrows one quadword to 32 bits: the saturating packs, or the horizontal pair sums/differences. */
    static long narrow(int kind, long v) {
        switch (kind) {
            case PACK_SSWB, PACK_USWB -> {
                long out = 0;
                for (int i = 0; i < 4; i++) {
                    long w = (short) (v >>> (16 * i));
                    w = kind == PACK_SSWB ? clamp(w, -128, 127) : clamp(w, 0, 255);
                    out |= (w & 0xff) << (8 * i);
                }
                return out;
            }
            case PACK_SSDW, PACK_USDW -> {
                long out = 0;
                for (int i = 0; i < 2; i++) {
                    long d = (int) (v >>> (32 * i));
                    d = kind == PACK_SSDW ? clamp(d, -32768, 32767) : clamp(d, 0, 65535);
                    out |= (d & 0xffff) << (16 * i);
                }
                return out;
            }
            case HADD_D -> { return ((int) v + (int) (v >>> 32)) & 0xffffffffL; }
            case HSUB_D -> { return ((int) v - (int) (v >>> 32)) & 0xffffffffL; }
            default -> {
                long out = 0;
                for (int i = 0; i < 2; i++) {
                    long x = (short) (v >>> (32 * i)), y = (short) (v >>> (32 * i + 16));
                    long s = switch (kind) {
                        case HADD_W -> x + y;
                        case HSUB_W -> x - y;
                        case HADDS_W -> clamp(x + y, -32768, 32767);
                        default -> clamp(x - y, -32768, 32767);
                    };
                    out |= (s & 0xffff) << (16 * i);
                }
                return out;
            }
        }
    }

    /** Interleaves the low (or high) halves of a and b: a0 b0 a1 b1... with elements of {@code bits}. */
    static long interleave(long a, long b, int bits, boolean highHalves) {
        if (highHalves) {
            a >>>= 32;
            b >>>= 32;
        }
        long mask = (1L << bits) - 1, out = 0;
        for (int i = 0, pos = 0; pos < 32; i++, pos += bits) {
            out |= ((a >>> pos) & mask) << (2 * i * bits);
            out |= ((b >>> pos) & mask) << ((2 * i + 1) * bits);
        }
        return out;
    }

    /** PMADDWD on one quadword: two dwords, each the sum of two signed word products. */
    static long maddwd(long a, long b) {
        long out = 0;
        for (int i = 0; i < 2; i++) {
            int p = (short) (a >>> (32 * i)) * (short) (b >>> (32 * i))
                    + (short) (a >>> (32 * i + 16)) * (short) (b >>> (32 * i + 16));
            out |= (p & 0xffffffffL) << (32 * i);
        }
        return out;
    }

    /** PMADDUBSW: unsigned bytes of a times signed bytes of b, adjacent pairs summed with signed saturation. */
    static long maddubsw(long a, long b) {
        long out = 0;
        for (int i = 0; i < 4; i++) {
            int s = 0;
            for (int k = 0; k < 2; k++) {
                int sh = 16 * i + 8 * k;
                s += (int) ((a >>> sh) & 0xff) * (byte) (b >>> sh);
            }
            out |= (clamp(s, -32768, 32767) & 0xffff) << (16 * i);
        }
        return out;
    }

    /** PSADBW on one quadword: the sum of absolute byte differences in the low word. */
    static long sadbw(long a, long b) {
        long s = 0;
        for (int i = 0; i < 64; i += 8) s += Math.abs(((a >>> i) & 0xff) - ((b >>> i) & 0xff));
        return s;
    }
}
