package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;

/**
 * The x87 instruction set (escapes D8-DF): decoding of the ModRM forms, the register stack,
 * loads and stores in every memory format, the control instructions and exception bookkeeping.
 * Arithmetic lives in {@link X87Math}, the environment images in {@link X87Env}.
 *
 * <p>Precision model: registers hold exact 80-bit values ({@link FpuRegisters}); FLD/FST of
 * m32/m64/m80, FILD/FIST(P)/FISTTP of 16/32/64-bit integers, FBLD/FBSTP, FXCH, FCHS, FABS,
 * FRNDINT, FSCALE, FXTRACT and the compares are exact on the 80-bit values; arithmetic and the
 * transcendental functions round their operands to double, compute in double and widen the
 * result back (so they have double's 53-bit precision and exponent range, not 64 bits and
 * 15-bit exponents). The precision-control field is ignored; PE is not reported by arithmetic.
 */
final class X87 {
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32, SF = 64, ES = 0x80, C0 = 0x100, C1 = 0x200,
            C2 = 0x400, C3 = 0x4000, B = 0x8000;
    // C1 after arithmetic is cleared rather than reporting round-up (see X87Math); conversions report it.

    final CpuState cpu;
    final FpuRegisters r;
    final Ext80 x = new Ext80();
    private final X87Math math;
    private final X87Env env;
    /** Exception flags raised by the current instruction. */
    int exc;

    X87(CpuState cpu, FpuRegisters r) {
        this.cpu = cpu;
        this.r = r;
        this.math = new X87Math(this);
        this.env = new X87Env(this);
    }

    void execute(int esc, int modrm, long addr, LinearMemory mem, boolean user, boolean o16) {
        int op = esc & 7, sub = (modrm >> 3) & 7;
        boolean reg = modrm >= 0xc0;
        if (!noWait(op, modrm)) {
            if ((r.fsw & ES) != 0) throw CpuFault.of(CpuFault.MF);
        }
        if (!control(op, sub, reg)) {
            r.fop = (op << 8) | modrm;
            boolean real = !cpu.protectedMode() || cpu.v86Mode(); // real-mode images keep linear pointers
            r.fip = real ? cpu.seg[CpuState.CS].base + cpu.rip : cpu.rip;
            r.fcs = cpu.seg[CpuState.CS].selector;
            if (!reg) {
                r.fdp = addr;
                r.fds = cpu.seg[CpuState.DS].selector;
            }
        }
        exc = 0;
        if (!control(op, sub, reg)) r.fsw &= ~C1; // the round-up indicator is not modelled: cleared
        if (reg) math.register(op, sub, modrm & 7, modrm);
        else memory(op, sub, addr, mem, user, o16);
        finish();
    }

    /** FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE do not check for a pending exception. */
    private static boolean noWait(int op, int modrm) {
        if (modrm >= 0xc0) return (op == 3 && (modrm == 0xe2 || modrm == 0xe3)) || (op == 7 && modrm == 0xe0);
        int sub = (modrm >> 3) & 7;
        return (op == 1 && (sub == 6 || sub == 7)) || (op == 5 && (sub == 6 || sub == 7));
    }

    /** Control instructions leave the last-instruction pointers alone. */
    private static boolean control(int op, int sub, boolean reg) {
        if (reg) return op == 3 && sub == 4 || op == 7 && sub == 4;
        return (op == 1 && sub >= 4) || (op == 5 && sub >= 4);
    }

    private void finish() {
        if (exc == 0) return;
        r.fsw |= exc & 0x7f;
        if ((exc & ~r.fcw & 0x3f) != 0) r.fsw |= ES | B;
    }

    /** Whether the current instruction has an unmasked IE, DE or ZE, which suppresses its result. */
    boolean suppressed() { return (exc & ~r.fcw & (IE | DE | ZE)) != 0; }

    boolean masked(int flag) { return (r.fcw & flag) != 0; }

    int rc() { return (r.fcw >> 10) & 3; }

    // ---- the register stack

    int phys(int i) { return (r.top + i) & 7; }

    boolean empty(int i) { return (r.tagValid & (1 << phys(i))) == 0; }

    int se(int i) { return r.sexp[phys(i)]; }

    long m(int i) { return r.mant[phys(i)]; }

    void set(int i, int se, long m) {
        int p = phys(i);
        r.sexp[p] = se & 0xffff;
        r.mant[p] = m;
        r.tagValid |= 1 << p;
    }

    void setDouble(int i, double v) {
        x.fromDouble(v);
        set(i, x.se, x.m);
    }

    /** ST(i) as a double (rounded to nearest). */
    double d(int i) { return x.toDouble(se(i), m(i), 0); }

    /** Pushes a value; on stack overflow sets IE|SF|C1 and pushes the indefinite if IE is masked. */
    void push(int se, long m) {
        int p = (r.top - 1) & 7;
        if ((r.tagValid & (1 << p)) != 0) {
            exc |= IE | SF;
            r.fsw |= C1;
            if (!masked(IE)) return;
            se = Ext80.INDEFINITE_SE;
            m = Ext80.INDEFINITE_M;
        }
        r.top = p;
        set(0, se, m);
    }

    void pushDouble(double v) {
        x.fromDouble(v);
        push(x.se, x.m);
    }

    void pop() {
        r.tagValid &= ~(1 << r.top);
        r.top = (r.top + 1) & 7;
    }

    /** Stack underflow: IE|SF with C1 = 0; returns whether a masked response (the indefinite) applies. */
    boolean underflow() {
        exc |= IE | SF;
        r.fsw &= ~C1;
        return masked(IE);
    }

    void setIndefinite(int i) { set(i, Ext80.INDEFINITE_SE, Ext80.INDEFINITE_M); }

    void setCc(int c3c2c1c0) { r.fsw = (r.fsw & ~(C0 | C1 | C2 | C3)) | c3c2c1c0; }

    // ---- memory forms

    private void memory(int op, int sub, long a, LinearMemory mem, boolean user, boolean o16) {
        switch (op) {
            case 0 -> math.arithMemory(sub, loadOperand(a, mem, user, 0));
            case 2 -> math.arithMemory(sub, loadOperand(a, mem, user, 2));
            case 4 -> math.arithMemory(sub, loadOperand(a, mem, user, 4));
            case 6 -> math.arithMemory(sub, loadOperand(a, mem, user, 6));
            case 1 -> {
                switch (sub) {
                    case 0 -> fldReal(mem.read32(a, user), false, mem, a, user);
                    case 2, 3 -> {
                        if (storeReal(a, mem, user, false) && sub == 3) pop();
                    }
                    case 4 -> env.loadEnv(a, mem, user, o16);
                    case 5 -> {
                        r.fcw = mem.read16(a, user) & 0x1f3f | 0x40;
                        if ((r.fsw & ~r.fcw & 0x3f) != 0) r.fsw |= ES | B;
                        else r.fsw &= ~(ES | B);
                    }
                    case 6 -> env.storeEnv(a, mem, user, o16);
                    case 7 -> mem.write16(a, r.fcw, user);
                    default -> throw CpuFault.of(CpuFault.UD);
                }
            }
            case 3 -> {
                switch (sub) {
                    case 0 -> fild((int) mem.read32(a, user));
                    case 1 -> fist(a, mem, user, 32, true, true);
                    case 2 -> fist(a, mem, user, 32, false, false);
                    case 3 -> fist(a, mem, user, 32, false, true);
                    case 5 -> push(mem.read16(a + 8, user), mem.read64(a, user));
                    case 7 -> {
                        if (empty(0)) {
                            if (!underflow()) return;
                            mem.write64(a, Ext80.INDEFINITE_M, user);
                            mem.write16(a + 8, Ext80.INDEFINITE_SE, user);
                        } else {
                            mem.write64(a, m(0), user);
                            mem.write16(a + 8, se(0), user);
                        }
                        pop();
                    }
                    default -> throw CpuFault.of(CpuFault.UD);
                }
            }
            case 5 -> {
                switch (sub) {
                    case 0 -> fldReal(0, true, mem, a, user);
                    case 1 -> fist(a, mem, user, 64, true, true);
                    case 2, 3 -> {
                        if (storeReal(a, mem, user, true) && sub == 3) pop();
                    }
                    case 4 -> env.restore(a, mem, user, o16);
                    case 6 -> env.save(a, mem, user, o16);
                    case 7 -> mem.write16(a, r.statusWord(), user);
                    default -> throw CpuFault.of(CpuFault.UD);
                }
            }
            default -> { // DF
                switch (sub) {
                    case 0 -> fild((short) mem.read16(a, user));
                    case 1 -> fist(a, mem, user, 16, true, true);
                    case 2 -> fist(a, mem, user, 16, false, false);
                    case 3 -> fist(a, mem, user, 16, false, true);
                    case 4 -> Bcd.load(this, a, mem, user);
                    case 5 -> fild(mem.read64(a, user));
                    case 6 -> Bcd.store(this, a, mem, user);
                    default -> fist(a, mem, user, 64, false, true);
                }
            }
        }
    }

    /**
     * A memory operand of an arithmetic form into x.se/x.m: kind 0 = m32fp (D8), 2 = m32int (DA),
     * 4 = m64fp (DC), 6 = m16int (DE). Returns whether it is an SNaN (for IE).
     */
    private boolean loadOperand(long a, LinearMemory mem, boolean user, int kind) {
        switch (kind) {
            case 0 -> {
                int bits = mem.read32(a, user);
                noteDenormal((bits & 0x7f800000) == 0 && (bits & 0x7fffff) != 0);
                x.fromFloatBits(bits);
            }
            case 4 -> {
                long bits = mem.read64(a, user);
                noteDenormal((bits & 0x7ff0000000000000L) == 0 && (bits & 0xfffffffffffffL) != 0);
                x.fromDoubleBits(bits);
            }
            case 2 -> x.fromLong(mem.read32(a, user));
            default -> x.fromLong((short) mem.read16(a, user));
        }
        return Ext80.isSNaN(x.se, x.m);
    }

    private void noteDenormal(boolean denormal) {
        if (denormal) exc |= DE;
    }

    /** FLD m32 (bits given) or m64 (read here): an SNaN is quieted with IE. */
    private void fldReal(int bits32, boolean wide, LinearMemory mem, long a, boolean user) {
        if (wide) {
            long bits = mem.read64(a, user);
            noteDenormal((bits & 0x7ff0000000000000L) == 0 && (bits & 0xfffffffffffffL) != 0);
            x.fromDoubleBits(bits);
        } else {
            noteDenormal((bits32 & 0x7f800000) == 0 && (bits32 & 0x7fffff) != 0);
            x.fromFloatBits(bits32);
        }
        int se = x.se;
        long m = x.m;
        if (Ext80.isSNaN(se, m)) {
            exc |= IE;
            if (!masked(IE)) return;
            m |= 0x4000000000000000L;
        }
        if (suppressed()) return;
        push(se, m);
    }

    private void fild(long v) {
        x.fromLong(v);
        push(x.se, x.m);
    }

    /** FST/FSTP m32/m64 with the rounding control; returns false when an unmasked exception suppresses it. */
    private boolean storeReal(long a, LinearMemory mem, boolean user, boolean wide) {
        if (empty(0)) {
            if (!underflow()) return false;
            if (wide) mem.write64(a, SseMath.DEFAULT_NAN_D, user);
            else mem.write32(a, SseMath.DEFAULT_NAN_S, user);
            return true;
        }
        int se = se(0);
        long m = m(0);
        long bits;
        if (wide) bits = Double.doubleToRawLongBits(x.toDouble(se, m, rc()));
        else bits = Float.floatToRawIntBits(x.toFloat(se, m, rc())) & 0xffffffffL;
        if (x.invalid) exc |= IE;
        if (x.overflow) exc |= OE;
        if (x.underflow) exc |= UE;
        if (x.inexact) exc |= PE;
        if (suppressed() || (x.overflow && !masked(OE))) return false;
        if (x.roundedUp) r.fsw |= C1;
        if (wide) mem.write64(a, bits, user);
        else mem.write32(a, (int) bits, user);
        return true;
    }

    /** FIST/FISTP (rounding control) and FISTTP (truncate) to 16, 32 or 64 bits. */
    private void fist(long a, LinearMemory mem, boolean user, int bits, boolean truncate, boolean popAfter) {
        long v;
        if (empty(0)) {
            if (!underflow()) return;
            v = 1L << (bits - 1);
        } else {
            v = x.toInt(se(0), m(0), truncate ? 3 : rc(), bits);
            if (x.invalid) exc |= IE;
            if (x.inexact) exc |= PE;
            if (suppressed()) return;
            if (x.roundedUp && !x.invalid) r.fsw |= C1;
        }
        switch (bits) {
            case 16 -> mem.write16(a, (int) v, user);
            case 32 -> mem.write32(a, (int) v, user);
            default -> mem.write64(a, v, user);
        }
        if (popAfter) pop();
    }
}
