package org.jvirt.vmm.emu.cpu;

import static org.jvirt.vmm.emu.cpu.CpuState.*;

/**
 * Operand access (r/m, stack) and the arithmetic of the general-purpose instructions: the
 * eight ALU operations with lazy flags, shifts and rotates, multiply and divide, BCD, and the
 * condition codes.
 */
abstract class CpuAlu extends CpuDecode {
    CpuAlu(CpuState s, PhysicalBus b, CpuProfile p) { super(s, b, p); }

    // ---- operands ----

    final long readRm(int size) {
        return in.mem ? read(in.seg(), offset(), size) : reg(in.rm, size);
    }

    /** Reads the r/m operand of a read-modify-write instruction (memory checked for writing). */
    final long readRmW(int size) {
        return in.mem ? readForWrite(in.seg(), offset(), size) : reg(in.rm, size);
    }

    final void writeRm(int size, long v) {
        if (in.mem) write(in.seg(), offset(), size, v);
        else setReg(in.rm, size, v);
    }

    // ---- stack ----

    final int stackAddrSize() { return mode64 ? 8 : st.seg[SS].db ? 4 : 2; }

    /** Operand size of push/pop and near branches: 64 by default in 64-bit mode. */
    final int stackOpSize() { return mode64 ? (in.opSize == 2 ? 2 : 8) : in.opSize; }

    final long sp() { return r[RSP] & mask(stackAddrSize()); }

    final void setSp(long v) { setReg(RSP, stackAddrSize(), v); }

    final void push(long v, int size) {
        long sp = (r[RSP] - size) & mask(stackAddrSize());
        write(SS, sp, size, v);
        setSp(sp);
    }

    /** Reads the value at the top of the stack plus delta, without popping. */
    final long peek(int size, long delta) {
        return read(SS, (r[RSP] + delta) & mask(stackAddrSize()), size);
    }

    final long pop(int size) {
        long v = peek(size, 0);
        setSp(r[RSP] + size);
        return v;
    }

    // ---- ALU ----

    /** ADD OR ADC SBB AND SUB XOR CMP (op 0..7) on masked operands; returns the masked result. */
    final long alu(int op, long dst, long src, int size) {
        long m = mask(size), res;
        switch (op) {
            case 0 -> { res = (dst + src) & m; st.lazy(LazyFlags.ADD, size, dst, src, res); }
            case 1 -> { res = dst | src; st.lazy(LazyFlags.LOGIC, size, dst, src, res); }
            case 2 -> {
                boolean c = flag(CF);
                res = (dst + src + (c ? 1 : 0)) & m;
                st.lazy(LazyFlags.ADC, size, dst, src, res);
                st.flagsCarry = c;
            }
            case 3 -> {
                boolean c = flag(CF);
                res = (dst - src - (c ? 1 : 0)) & m;
                st.lazy(LazyFlags.SBB, size, dst, src, res);
                st.flagsCarry = c;
            }
            case 4 -> { res = dst & src; st.lazy(LazyFlags.LOGIC, size, dst, src, res); }
            case 6 -> { res = dst ^ src; st.lazy(LazyFlags.LOGIC, size, dst, src, res); }
            default -> { res = (dst - src) & m; st.lazy(LazyFlags.SUB, size, dst, src, res); }
        }
        return res;
    }

    final long incDec(long v, int size, boolean dec) {
        boolean c = flag(CF);
        long res = (dec ? v - 1 : v + 1) & mask(size);
        st.lazy(dec ? LazyFlags.DEC : LazyFlags.INC, size, v, 1, res);
        st.flagsCarry = c;
        return res;
    }

    final void logicFlags(long res, int size) { st.lazy(LazyFlags.LOGIC, size, res, 0, res); }

    // ---- shifts and rotates (eager flags) ----

    /** Group 2 operation op (ROL ROR RCL RCR SHL SHR SAL SAR) by count; flags untouched when the masked count is 0. */
    final long shift(int op, long v, int count, int size) {
        count &= size == 8 ? 0x3f : 0x1f;
        if (count == 0) return v;
        int bits = size * 8;
        long m = mask(size), sign = LazyFlags.signBit(size);
        if (op >= 4) { // SHL/SAL, SHR, SAR: flags computed when read (LazyFlags); AF keeps its value
            long res = op == 5 ? v >>> count : op == 7 ? (sext(v, size) >> count) & m : count >= 64 ? 0 : (v << count) & m;
            boolean af = LazyFlags.auxCarry(st);
            st.lazy(op == 5 ? LazyFlags.SHR : op == 7 ? LazyFlags.SAR : LazyFlags.SHL, size, v, count, res);
            st.flagsCarry = af;
            return res;
        }
        long f = st.rflags();
        boolean cf = (f & CF) != 0, of;
        long res;
        long keep = f & ~(CF | OF);
        switch (op) {
            case 0 -> { // ROL
                int c = count % bits;
                res = c == 0 ? v : ((v << c) | (v >>> (bits - c))) & m;
                cf = (res & 1) != 0;
                of = ((res & sign) != 0) ^ cf;
                st.setRflags(keep | (cf ? CF : 0) | (of ? OF : 0));
                return res;
            }
            case 1 -> { // ROR
                int c = count % bits;
                res = c == 0 ? v : ((v >>> c) | (v << (bits - c))) & m;
                cf = (res & sign) != 0;
                of = cf ^ ((res & (sign >>> 1)) != 0);
                st.setRflags(keep | (cf ? CF : 0) | (of ? OF : 0));
                return res;
            }
            case 2 -> { // RCL
                int c = count % (bits + 1);
                res = v;
                for (int i = 0; i < c; i++) {
                    boolean out = (res & sign) != 0;
                    res = ((res << 1) | (cf ? 1 : 0)) & m;
                    cf = out;
                }
                of = ((res & sign) != 0) ^ cf;
                st.setRflags(keep | (cf ? CF : 0) | (of ? OF : 0));
                return res;
            }
            default -> { // RCR
                int c = count % (bits + 1);
                res = v;
                for (int i = 0; i < c; i++) {
                    boolean out = (res & 1) != 0;
                    res = (res >>> 1) | (cf ? sign : 0);
                    cf = out;
                }
                of = ((res & sign) != 0) ^ ((res & (sign >>> 1)) != 0);
                st.setRflags(keep | (cf ? CF : 0) | (of ? OF : 0));
                return res;
            }
        }
    }

    /** SHLD (left) / SHRD: shifts dst by count filling from src. */
    final long shiftDouble(boolean left, long dst, long src, int count, int size) {
        count &= size == 8 ? 0x3f : 0x1f;
        if (count == 0) return dst;
        long m = mask(size), sign = LazyFlags.signBit(size);
        long res = dst, in2 = src;
        boolean cf = false;
        for (int i = 0; i < count; i++) {
            if (left) {
                cf = (res & sign) != 0;
                res = ((res << 1) | ((in2 & sign) != 0 ? 1 : 0)) & m;
                in2 = (in2 << 1) & m;
            } else {
                cf = (res & 1) != 0;
                res = (res >>> 1) | ((in2 & 1) != 0 ? sign : 0);
                in2 >>>= 1;
            }
        }
        boolean of = ((res ^ dst) & sign) != 0;
        long f = st.rflags();
        st.setRflags((f & ~STATUS_FLAGS) | LazyFlags.szp(res, size) | (cf ? CF : 0) | (of ? OF : 0));
        return res;
    }

    // ---- multiply and divide ----

    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private void mulFlags(boolean overflow, long low, int size) {
        long f = st.rflags();
        st.setRflags((f & ~STATUS_FLAGS) | LazyFlags.szp(low & mask(size), size) | (overflow ? CF | OF : 0));
    }

    /** MUL (signed false) or IMUL with one operand: rDX:rAX = rAX * src. */
    final void mulAcc(long src, int size, boolean signed) {
        long a = reg(RAX, size);
        if (size == 8) {
            long lo = a * src;
            long hi = signed ? Math.multiplyHigh(a, src) : unsignedMultiplyHigh(a, src);
            r[RAX] = lo;
            r[RDX] = hi;
            mulFlags(signed ? hi != (lo >> 63) : hi != 0, lo, size);
            return;
        }
        long p = signed ? sext(a, size) * sext(src, size) : a * src;
        int bits = size * 8;
        long lo = p & mask(size), hi = (p >>> bits) & mask(size);
        if (size == 1) setReg(RAX, 2, p);
        else { setReg(RAX, size, lo); setReg(RDX, size, hi); }
        mulFlags(signed ? p != sext(lo, size) : hi != 0, lo, size);
    }

    /** IMUL with two or three operands: returns the truncated product, sets CF/OF. */
    final long imul(long a, long b, int size) {
        if (size == 8) {
            long lo = a * b;
            mulFlags(Math.multiplyHigh(a, b) != (lo >> 63), lo, size);
            return lo;
        }
        long p = sext(a, size) * sext(b, size);
        long lo = p & mask(size);
        mulFlags(p != sext(lo, size), lo, size);
        return lo;
    }

    private static CpuFault divideError() { return CpuFault.of(CpuFault.DE); }

    /** DIV/IDIV of rDX:rAX (AX for bytes) by src; #DE on zero or overflow. Flags are left as they were. */
    final void divAcc(long src, int size, boolean signed) {
        if ((src & mask(size)) == 0) throw divideError();
        if (size == 8) { div128(src, signed); return; }
        int bits = size * 8;
        long dividend = size == 1 ? reg(RAX, 2) : (reg(RDX, size) << bits) | reg(RAX, size);
        long q, rem;
        if (signed) {
            long sd = size == 4 ? dividend : sext(dividend, size * 2);
            long sv = sext(src, size);
            if (size == 4 && sd == Long.MIN_VALUE && sv == -1) throw divideError();
            q = sd / sv;
            rem = sd % sv;
            if (q != sext(q & mask(size), size)) throw divideError();
        } else {
            q = Long.divideUnsigned(dividend, src);
            rem = Long.remainderUnsigned(dividend, src);
            if ((q & ~mask(size)) != 0) throw divideError();
        }
        if (size == 1) setReg(RAX, 2, (q & 0xff) | ((rem & 0xff) << 8));
        else { setReg(RAX, size, q); setReg(RDX, size, rem); }
    }

    private void div128(long src, boolean signed) {
        long hi = r[RDX], lo = r[RAX];
        boolean negQ = false, negR = false;
        long d = src;
        if (signed) {
            negR = hi < 0;
            negQ = negR ^ (src < 0);
            if (hi < 0) { lo = -lo; hi = ~hi + (lo == 0 ? 1 : 0); }
            if (d < 0) d = -d;
        }
        if (Long.compareUnsigned(hi, d) >= 0) throw divideError();
        long q = 0, rem = hi;
        if (hi == 0) {
            q = Long.divideUnsigned(lo, d);
            rem = Long.remainderUnsigned(lo, d);
        } else {
            for (int i = 63; i >= 0; i--) {
                boolean top = rem < 0;
                rem = (rem << 1) | ((lo >>> i) & 1);
                q <<= 1;
                if (top || Long.compareUnsigned(rem, d) >= 0) { rem -= d; q |= 1; }
            }
        }
        if (signed) {
            if (negQ ? Long.compareUnsigned(q, Long.MIN_VALUE) > 0 : q < 0) throw divideError();
            if (negQ) q = -q;
            if (negR) rem = -rem;
        }
        r[RAX] = q;
        r[RDX] = rem;
    }

    // ---- conditions ----

    /** Condition code cc (the low nibble of Jcc/SETcc/CMOVcc). */
    final boolean cond(int cc) {
        if (st.flagsOp != LazyFlags.NONE) {
            int fast = lazyCond(cc);
            if (fast >= 0) return fast != 0;
        }
        long f = st.rflags();
        boolean v = switch (cc >> 1) {
            case 0 -> (f & OF) != 0;
            case 1 -> (f & CF) != 0;
            case 2 -> (f & ZF) != 0;
            case 3 -> (f & (CF | ZF)) != 0;
            case 4 -> (f & SF) != 0;
            case 5 -> (f & PF) != 0;
            case 6 -> ((f & SF) != 0) != ((f & OF) != 0);
            default -> (f & ZF) != 0 || (((f & SF) != 0) != ((f & OF) != 0));
        };
        return v ^ ((cc & 1) != 0);
    }

    /**
     * The condition straight from the lazily recorded operation, without materialising the flags
     * (a Jcc after CMP/SUB/TEST/logic/INC/DEC): 1 true, 0 false, -1 when it needs the full flags.
     */
    private int lazyCond(int cc) {
        CpuState s = st;
        int op = s.flagsOp, size = s.flagsSize;
        long res = s.flagsRes;
        int v;
        switch (cc >> 1) {
            case 2 -> v = res == 0 ? 1 : 0;
            case 4 -> v = (res & LazyFlags.signBit(size)) != 0 ? 1 : 0;
            default -> {
                if (op == LazyFlags.SUB) {
                    long d = s.flagsDst, src = s.flagsSrc;
                    switch (cc >> 1) {
                        case 1 -> v = Long.compareUnsigned(d, src) < 0 ? 1 : 0;
                        case 3 -> v = Long.compareUnsigned(d, src) <= 0 ? 1 : 0;
                        case 6 -> v = sext(d, size) < sext(src, size) ? 1 : 0;
                        case 7 -> v = sext(d, size) <= sext(src, size) ? 1 : 0;
                        default -> { return -1; }
                    }
                } else if (op == LazyFlags.LOGIC) { // CF = OF = 0
                    switch (cc >> 1) {
                        case 0, 1 -> v = 0;
                        case 3 -> v = res == 0 ? 1 : 0;
                        case 6 -> v = (res & LazyFlags.signBit(size)) != 0 ? 1 : 0;
                        case 7 -> v = res == 0 || (res & LazyFlags.signBit(size)) != 0 ? 1 : 0;
                        default -> { return -1; }
                    }
                } else {
                    return -1;
                }
            }
        }
        return v ^ (cc & 1);
    }

    // ---- BCD ----

    final void bcd(int op) {
        long f = st.rflags();
        int al = (int) r[RAX] & 0xff;
        boolean cf = (f & CF) != 0, af = (f & AF) != 0;
        switch (op) {
            case 0x27, 0x2f -> { // DAA, DAS
                boolean sub = op == 0x2f;
                int old = al;
                boolean oldCf = cf;
                cf = false;
                if ((al & 0xf) > 9 || af) {
                    cf = oldCf || (sub ? old < 6 : old + 6 > 0xff);
                    al = (sub ? al - 6 : al + 6) & 0xff;
                    af = true;
                } else {
                    af = false;
                }
                if (old > 0x99 || oldCf) {
                    al = (sub ? al - 0x60 : al + 0x60) & 0xff;
                    cf = true;
                } else if (!sub) {
                    cf = false;
                }
                setReg(RAX, 1, al);
                st.setRflags((f & ~STATUS_FLAGS) | LazyFlags.szp(al, 1) | (cf ? CF : 0) | (af ? AF : 0) | (f & OF));
            }
            default -> { // AAA 37, AAS 3F
                long ax = r[RAX] & 0xffff;
                if ((al & 0xf) > 9 || af) {
                    ax = op == 0x37 ? ax + 0x106 : ax - 6 - 0x100;
                    af = cf = true;
                } else {
                    af = cf = false;
                }
                ax = (ax & 0xff0f);
                setReg(RAX, 2, ax);
                st.setRflags((f & ~STATUS_FLAGS) | LazyFlags.szp(ax & 0xff, 1) | (cf ? CF | AF : 0) | (f & OF));
            }
        }
    }
}
