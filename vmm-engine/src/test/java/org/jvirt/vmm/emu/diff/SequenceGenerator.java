package org.jvirt.vmm.emu.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.jvirt.vmm.emu.diff.Encoder.NONE;
import static org.jvirt.vmm.emu.diff.Encoder.modrm;
import static org.jvirt.vmm.emu.diff.Encoder.op;
import static org.jvirt.vmm.emu.diff.Encoder.plain;
import static org.jvirt.vmm.emu.diff.Encoder.prefixFor;
import static org.jvirt.vmm.emu.diff.Flags.AF;
import static org.jvirt.vmm.emu.diff.Flags.ALL;
import static org.jvirt.vmm.emu.diff.Flags.CF;
import static org.jvirt.vmm.emu.diff.Flags.OF;
import static org.jvirt.vmm.emu.diff.Flags.PF;
import static org.jvirt.vmm.emu.diff.Flags.SF;
import static org.jvirt.vmm.emu.diff.Flags.ZF;

/**
 * Random but valid 64-bit user-mode integer instructions, reproducible from a seed. Never
 * written: RSP except by PUSH/POP (the stack page has room for any sequence), and R15, the base
 * of every memory operand (it points into the middle of the scratch page, so [r15 +- 0x780] is
 * always mapped). Nothing host-specific (no CPUID, RDTSC, RDRAND), no faults (DIV operands
 * are set up in the same unit), no flag read while the flag is architecturally undefined.
 */
final class SequenceGenerator {
    /** Registers an instruction may write (all but RSP and R15). */
    private static final int[] DEST = {0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    /** Byte registers an instruction may write: the low bytes of DEST plus AH..BH. */
    private static final int[] DEST8 = {0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19};
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] SHIFT = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
    static final int SCRATCH_REACH = 0x780;

    private final SplittableRandom rnd;
    private int undefined; // flags undefined at the current end of the sequence

    private final ControlUnits control;
    private final SseUnits sse;
    private final MmxUnits mmx;
    private final ImplicitOperandUnits implicit;

    SequenceGenerator(long seed) {
        this.rnd = new SplittableRandom(seed);
        this.control = new ControlUnits(this);
        this.sse = new SseUnits(this);
        this.mmx = new MmxUnits(this);
        this.implicit = new ImplicitOperandUnits(this);
    }

    SplittableRandom random() { return rnd; }

    /** n units, each valid where it stands (it reads no flag an earlier unit left undefined). */
    List<Unit> units(int n) {
        List<Unit> out = new ArrayList<>();
        undefined = 0;
        while (out.size() < n) {
            Unit u = any();
            if (u == null || (u.reads() & undefined) != 0) continue;
            out.add(u);
            undefined = (undefined & ~u.defines()) | u.undefines();
        }
        return out;
    }

    private Unit any() {
        int k = rnd.nextInt(100);
        if (k < 6) return jumpOver();
        if (k < 9) return implicit.string();
        if (k < 12) return implicit.divide();
        if (k < 18) return control.any();
        if (k < 34) return sse.any();
        if (k < 38) return mmx.any();
        Unit u = simple();
        return u == null ? null : decorate(u);
    }

    /**
     * Prefixes the hardware ignores, sometimes: a segment override (CS/DS/ES/SS do nothing in
     * 64-bit mode), or a REX byte followed by such a prefix (a REX not directly before the
     * opcode is ignored). Units that start with a REX or a 0x66/0x67/F2/F3/segment byte keep their meaning.
     */
    private Unit decorate(Unit u) {
        int k = rnd.nextInt(12);
        if (k > 1 || u.text().contains("fs:") || u.text().contains("gs:")) return u; // one segment prefix only
        int seg = new int[]{0x2E, 0x3E, 0x26, 0x36}[rnd.nextInt(4)];
        byte[] pre = k == 0 ? new byte[]{(byte) seg} : new byte[]{(byte) (0x40 + rnd.nextInt(16)), (byte) seg};
        String t = k == 0 ? String.format("(%02x) ", seg) : String.format("(%02x %02x: stale REX) ", pre[0] & 0xFF, seg);
        return new Unit(join(pre, u.bytes()), t + u.text(), u.reads(), u.defines(), u.undefines());
    }

    /** A unit that is one instruction (or a tiny fixed setup plus one), safe to jump over. */
    Unit simple() {
        return switch (rnd.nextInt(27)) {
            case 0, 1, 2, 3 -> alu();
            case 4 -> test();
            case 5 -> unary();
            case 6, 7 -> shift();
            case 8 -> doubleShift();
            case 9 -> multiply();
            case 10 -> bitTest();
            case 11 -> bitScan();
            case 12 -> bswap();
            case 13 -> extend();
            case 14 -> cmov();
            case 15 -> setcc();
            case 16 -> lea();
            case 17 -> exchange();
            case 18, 19 -> mov();
            case 20 -> push();
            case 21 -> pop();
            case 22 -> convert();
            case 23 -> flagOp();
            case 24 -> nop();
            case 25 -> incDec();
            default -> alu();
        };
    }

    // ---- operands ----

    int width() { return new int[]{8, 16, 32, 64}[rnd.nextInt(4)]; }

    int widthNo8() { return new int[]{16, 32, 64}[rnd.nextInt(3)]; }

    int dest(int width) { return width == 8 ? DEST8[rnd.nextInt(DEST8.length)] : DEST[rnd.nextInt(DEST.length)]; }

    /** Any register as a source (a byte source may also be AH..BH). */
    int source(int width) { return width == 8 && rnd.nextInt(4) == 0 ? 16 + rnd.nextInt(4) : rnd.nextInt(16); }

    Operand scratch() { return scratch(1); }

    /**
     * A memory operand in the scratch page, aligned to align bytes: mostly [r15+disp], sometimes
     * with a 32-bit address size ([r15d+disp]) or as fs:[disp32] / gs:[disp32], whose segment
     * bases point into the scratch page too (64-bit mode honours only FS and GS bases).
     */
    Operand scratch(int align) {
        int disp = rnd.nextInt(3) == 0 ? rnd.nextInt(-128, 128) : rnd.nextInt(-SCRATCH_REACH, SCRATCH_REACH);
        int k = rnd.nextInt(10);
        if (k >= 7) disp = rnd.nextInt(-0x380, 0x380);
        disp &= -align;
        return switch (k) {
            case 7 -> Operand.mem(Operand.R15, -1, 1, disp, true);
            case 8 -> Operand.absolute(Operand.FS, disp);
            case 9 -> Operand.absolute(Operand.GS, disp);
            default -> Operand.scratch(disp);
        };
    }

    /** A destination r/m: memory or a writable register. */
    Operand destRm(int width) { return rnd.nextInt(3) == 0 ? scratch() : Operand.reg(dest(width)); }

    /** A source r/m: memory or any register. */
    Operand srcRm(int width) { return rnd.nextInt(3) == 0 ? scratch() : Operand.reg(source(width)); }

    long imm(int bytes) {
        long v = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> rnd.nextInt(-4, 5);
            case 3 -> 1L << rnd.nextInt(64);
            default -> rnd.nextLong();
        };
        return bytes == 8 ? v : (v << (64 - 8 * bytes)) >> (64 - 8 * bytes);
    }

    static int immBytes(int width) { return width == 8 ? 1 : width == 16 ? 2 : 4; }

    static String hex(long v) { return v < 0 ? String.format("-0x%x", -v) : String.format("0x%x", v); }

    /** LOCK before a read-modify-write memory instruction, sometimes (it must not change the result). */
    private Unit maybeLock(Unit u, Operand dest) {
        if (u == null || !dest.memory() || rnd.nextInt(3) != 0) return u;
        return new Unit(join(new byte[]{(byte) 0xF0}, u.bytes()), "lock " + u.text(), u.reads(), u.defines(), u.undefines());
    }

    static Unit unit(byte[] b, String text, int reads, int defines, int undefines) {
        return b == null ? null : new Unit(b, text, reads, defines, undefines);
    }

    static byte[] rm(int width, int[] opc, int reg, boolean regIsReg, Operand rm, long imm, int immBytes) {
        return modrm(width == 64, prefixFor(width), opc, reg, regIsReg, rm, width == 8, imm, immBytes);
    }

    // ---- instruction families ----

    private Unit alu() {
        int o = rnd.nextInt(8), w = width();
        int reads = (o == 2 || o == 3) ? CF : 0;
        int def = (o == 1 || o == 4 || o == 6) ? ALL & ~AF : ALL;
        int undef = ALL & ~def;
        String name = ALU[o];
        int wbit = w == 8 ? 0 : 1;
        switch (rnd.nextInt(5)) {
            case 0: { // r/m, reg
                Operand d = o == 7 ? srcRm(w) : destRm(w);
                int s = source(w);
                Unit u = unit(rm(w, op(o * 8 + wbit), s, true, d, 0, 0), name + " " + d.text(w) + "," + Regs.name(s, w), reads, def, undef);
                return o == 7 ? u : maybeLock(u, d);
            }
            case 1: { // reg, r/m
                int d = o == 7 ? source(w) : dest(w);
                Operand s = srcRm(w);
                return unit(rm(w, op(o * 8 + 2 + wbit), d, true, s, 0, 0), name + " " + Regs.name(d, w) + "," + s.text(w), reads, def, undef);
            }
            case 2: { // r/m, imm8 sign-extended
                if (w == 8) return null;
                Operand d = o == 7 ? srcRm(w) : destRm(w);
                long i = imm(1);
                Unit u = unit(rm(w, op(0x83), o, false, d, i, 1), name + " " + d.text(w) + "," + hex(i), reads, def, undef);
                return o == 7 ? u : maybeLock(u, d);
            }
            case 3: { // accumulator, imm
                int ib = immBytes(w);
                long i = imm(ib);
                byte[] b = plain(prefixFor(w), w == 64 ? 8 : 0, op(o * 8 + 4 + wbit), i, ib);
                return unit(b, name + " " + Regs.name(0, w) + "," + hex(i), reads, def, undef);
            }
            default: { // r/m, imm
                Operand d = o == 7 ? srcRm(w) : destRm(w);
                int ib = immBytes(w);
                long i = imm(ib);
                return unit(rm(w, op(w == 8 ? 0x80 : 0x81), o, false, d, i, ib), name + " " + d.text(w) + "," + hex(i), reads, def, undef);
            }
        }
    }

    private Unit test() {
        int w = width(), wbit = w == 8 ? 0 : 1;
        int def = ALL & ~AF;
        Operand a = srcRm(w);
        if (rnd.nextBoolean()) {
            int s = source(w);
            return unit(rm(w, op(0x84 + wbit), s, true, a, 0, 0), "test " + a.text(w) + "," + Regs.name(s, w), 0, def, AF);
        }
        int ib = immBytes(w);
        long i = imm(ib);
        return unit(rm(w, op(0xF6 + wbit), 0, false, a, i, ib), "test " + a.text(w) + "," + hex(i), 0, def, AF);
    }

    private Unit unary() {
        int w = width(), wbit = w == 8 ? 0 : 1;
        Operand d = destRm(w);
        boolean neg = rnd.nextBoolean();
        return maybeLock(unit(rm(w, op(0xF6 + wbit), neg ? 3 : 2, false, d, 0, 0), (neg ? "neg " : "not ") + d.text(w), 0, neg ? ALL : 0, 0), d);
    }

    private Unit incDec() {
        int w = width(), wbit = w == 8 ? 0 : 1;
        Operand d = destRm(w);
        boolean dec = rnd.nextBoolean();
        return maybeLock(unit(rm(w, op(0xFE + wbit), dec ? 1 : 0, false, d, 0, 0), (dec ? "dec " : "inc ") + d.text(w), 0, ALL & ~CF, 0), d);
    }

    private int count() {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1;
            case 1 -> rnd.nextInt(8);
            case 2 -> rnd.nextInt(64);
            default -> rnd.nextInt(256);
        };
    }

    /** mov cl, count: the setup of every by-CL shift. */
    private static Unit movCl(int count) {
        return Unit.of(plain(NONE, 0, op(0xB1), count, 1), "mov cl," + hex(count));
    }

    private Unit shift() {
        int w = width(), wbit = w == 8 ? 0 : 1;
        int o = rnd.nextInt(8);
        if (o == 6) o = 4; // /6 is an undocumented alias of SHL
        Operand d = destRm(w);
        int form = rnd.nextInt(3), count = form == 0 ? 1 : count();
        byte[] b = switch (form) {
            case 0 -> rm(w, op(0xD0 + wbit), o, false, d, 0, 0);
            case 1 -> rm(w, op(0xC0 + wbit), o, false, d, count, 1);
            default -> rm(w, op(0xD2 + wbit), o, false, d, 0, 0);
        };
        String text = SHIFT[o] + " " + d.text(w) + (form == 0 ? ",1" : form == 1 ? "," + hex(count) : ",cl");
        if (b == null) return null;
        int c = count & (w == 64 ? 63 : 31);
        int reads = o == 2 || o == 3 ? CF : 0, def, undef;
        if (c == 0) {
            def = 0; undef = 0; reads = 0;
        } else if (o < 4) { // rotates: CF, and OF when the count is 1
            def = c == 1 ? CF | OF : CF;
            undef = c == 1 ? 0 : OF;
        } else {
            def = CF | SF | ZF | PF | (c == 1 ? OF : 0);
            undef = AF | (c == 1 ? 0 : OF);
            if (c >= w) { def &= ~CF; undef |= CF; }
        }
        Unit u = new Unit(b, text, reads, def, undef);
        return form == 2 ? u.after(movCl(count)) : u;
    }

    private Unit doubleShift() {
        int w = widthNo8();
        boolean left = rnd.nextBoolean(), byCl = rnd.nextBoolean();
        int count = count() & (w == 64 ? 63 : 31);
        if (w == 16 && count > 16) count &= 15; // a 16-bit SHLD/SHRD by more than 16 has an undefined result
        Operand d = destRm(w);
        int s = source(w);
        int opc = (left ? 0xA4 : 0xAC) + (byCl ? 1 : 0);
        byte[] b = rm(w, op(0x0F, opc), s, true, d, count, byCl ? 0 : 1);
        if (b == null) return null;
        String text = (left ? "shld " : "shrd ") + d.text(w) + "," + Regs.name(s, w) + "," + (byCl ? "cl" : hex(count));
        int def = count == 0 ? 0 : CF | SF | ZF | PF | (count == 1 ? OF : 0);
        int undef = count == 0 ? 0 : AF | (count == 1 ? 0 : OF);
        Unit u = new Unit(b, text, 0, def, undef);
        return byCl ? u.after(movCl(count)) : u;
    }

    private Unit multiply() {
        int def = CF | OF, undef = SF | ZF | AF | PF;
        switch (rnd.nextInt(3)) {
            case 0: { // one operand: rDX:rAX (AX for bytes)
                int w = width();
                Operand s = srcRm(w);
                boolean signed = rnd.nextBoolean();
                return unit(rm(w, op(w == 8 ? 0xF6 : 0xF7), signed ? 5 : 4, false, s, 0, 0), (signed ? "imul " : "mul ") + s.text(w), 0, def, undef);
            }
            case 1: {
                int w = widthNo8(), d = dest(w);
                Operand s = srcRm(w);
                return unit(rm(w, op(0x0F, 0xAF), d, true, s, 0, 0), "imul " + Regs.name(d, w) + "," + s.text(w), 0, def, undef);
            }
            default: {
                int w = widthNo8(), d = dest(w);
                Operand s = srcRm(w);
                boolean short8 = rnd.nextBoolean();
                int ib = short8 ? 1 : immBytes(w);
                long i = imm(ib);
                return unit(rm(w, op(short8 ? 0x6B : 0x69), d, true, s, i, ib), "imul " + Regs.name(d, w) + "," + s.text(w) + "," + hex(i), 0, def, undef);
            }
        }
    }

    private Unit bitTest() {
        int w = widthNo8(), k = rnd.nextInt(4);
        String name = new String[]{"bt", "bts", "btr", "btc"}[k];
        int def = CF, undef = OF | SF | ZF | AF | PF;
        if (rnd.nextBoolean()) { // register bit offset: register destination only (memory would address the whole bit string)
            Operand d = Operand.reg(k == 0 ? source(w) : dest(w));
            int s = source(w);
            return unit(rm(w, op(0x0F, 0xA3 + 8 * k), s, true, d, 0, 0), name + " " + d.text(w) + "," + Regs.name(s, w), 0, def, undef);
        }
        Operand d = k == 0 ? srcRm(w) : destRm(w);
        int bit = rnd.nextInt(256);
        Unit u = unit(rm(w, op(0x0F, 0xBA), 4 + k, false, d, bit, 1), name + " " + d.text(w) + "," + hex(bit), 0, def, undef);
        return k == 0 ? u : maybeLock(u, d);
    }

    private Unit bitScan() {
        int w = widthNo8(), d = dest(w);
        Operand s = srcRm(w);
        switch (rnd.nextInt(5)) {
            case 0: case 1: {
                boolean rev = rnd.nextBoolean();
                return unit(rm(w, op(0x0F, rev ? 0xBD : 0xBC), d, true, s, 0, 0), (rev ? "bsr " : "bsf ") + Regs.name(d, w) + "," + s.text(w), 0, ZF, ALL & ~ZF);
            }
            case 2: case 3: { // TZCNT / LZCNT (F3 0F BC/BD)
                boolean lz = rnd.nextBoolean();
                byte[] b = modrm(w == 64, w == 16 ? op(0x66, 0xF3) : op(0xF3), op(0x0F, lz ? 0xBD : 0xBC), d, true, s, false, 0, 0);
                return unit(b, (lz ? "lzcnt " : "tzcnt ") + Regs.name(d, w) + "," + s.text(w), 0, CF | ZF, OF | SF | AF | PF);
            }
            default: {
                byte[] b = modrm(w == 64, w == 16 ? op(0x66, 0xF3) : op(0xF3), op(0x0F, 0xB8), d, true, s, false, 0, 0);
                return unit(b, "popcnt " + Regs.name(d, w) + "," + s.text(w), 0, ALL, 0);
            }
        }
    }

    private Unit bswap() {
        int w = rnd.nextBoolean() ? 32 : 64, d = dest(w);
        int rex = (w == 64 ? 8 : 0) | (d >= 8 ? 1 : 0);
        return unit(plain(NONE, rex, op(0x0F, 0xC8 + (d & 7)), 0, 0), "bswap " + Regs.name(d, w), 0, 0, 0);
    }

    private Unit extend() {
        int k = rnd.nextInt(5);
        if (k == 4) { // movsxd r64, r/m32
            int d = dest(64);
            Operand s = srcRm(32);
            return unit(modrm(true, NONE, op(0x63), d, true, s, false, 0, 0), "movsxd " + Regs.name(d, 64) + "," + s.text(32), 0, 0, 0);
        }
        boolean sign = (k & 1) != 0, fromWord = (k & 2) != 0;
        int w = fromWord ? (rnd.nextBoolean() ? 32 : 64) : widthNo8(), sw = fromWord ? 16 : 8, d = dest(w);
        Operand s = srcRm(sw);
        byte[] b = modrm(w == 64, prefixFor(w), op(0x0F, (sign ? 0xBE : 0xB6) + (fromWord ? 1 : 0)), d, true, false, s, sw == 8, 0, 0);
        return unit(b, (sign ? "movsx " : "movzx ") + Regs.name(d, w) + "," + s.text(sw), 0, 0, 0);
    }

    private Unit cmov() {
        int w = widthNo8(), d = dest(w), cc = rnd.nextInt(16);
        Operand s = srcRm(w);
        return unit(rm(w, op(0x0F, 0x40 + cc), d, true, s, 0, 0), "cmov" + Flags.CC[cc] + " " + Regs.name(d, w) + "," + s.text(w), Flags.readBy(cc), 0, 0);
    }

    private Unit setcc() {
        int cc = rnd.nextInt(16);
        Operand d = destRm(8);
        return unit(rm(8, op(0x0F, 0x90 + cc), 0, false, d, 0, 0), "set" + Flags.CC[cc] + " " + d.text(8), Flags.readBy(cc), 0, 0);
    }

    private Unit lea() {
        int w = widthNo8(), d = dest(w);
        int base = rnd.nextInt(5) == 0 ? -1 : rnd.nextInt(16);
        int index = rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(16);
        if (index == 4) index = -1; // no index register 4 (RSP)
        if (base < 0 && index < 0) base = rnd.nextInt(16);
        int disp = switch (rnd.nextInt(3)) { case 0 -> 0; case 1 -> rnd.nextInt(-128, 128); default -> rnd.nextInt(); };
        Operand m = Operand.mem(base, index, 1 << rnd.nextInt(4), disp, rnd.nextInt(4) == 0);
        return unit(modrm(w == 64, prefixFor(w), op(0x8D), d, true, m, false, 0, 0), "lea " + Regs.name(d, w) + "," + m.text(0), 0, 0, 0);
    }

    private Unit exchange() {
        int w = width(), wbit = w == 8 ? 0 : 1, s = dest(w);
        Operand d = destRm(w);
        switch (rnd.nextInt(4)) {
            case 0:
                return unit(rm(w, op(0x86 + wbit), s, true, d, 0, 0), "xchg " + d.text(w) + "," + Regs.name(s, w), 0, 0, 0);
            case 1: {
                if (w == 8) return null;
                int r = dest(w);
                int rex = (w == 64 ? 8 : 0) | (r >= 8 ? 1 : 0);
                return unit(plain(prefixFor(w), rex, op(0x90 + (r & 7)), 0, 0), "xchg " + Regs.name(0, w) + "," + Regs.name(r, w), 0, 0, 0);
            }
            case 2:
                return maybeLock(unit(rm(w, op(0x0F, 0xC0 + wbit), s, true, d, 0, 0), "xadd " + d.text(w) + "," + Regs.name(s, w), 0, ALL, 0), d);
            default:
                return maybeLock(unit(rm(w, op(0x0F, 0xB0 + wbit), s, true, d, 0, 0), "cmpxchg " + d.text(w) + "," + Regs.name(s, w), 0, ALL, 0), d);
        }
    }

    private Unit mov() {
        int w = width(), wbit = w == 8 ? 0 : 1;
        switch (rnd.nextInt(5)) {
            case 0: {
                Operand d = destRm(w);
                int s = source(w);
                return unit(rm(w, op(0x88 + wbit), s, true, d, 0, 0), "mov " + d.text(w) + "," + Regs.name(s, w), 0, 0, 0);
            }
            case 1: {
                int d = dest(w);
                Operand s = srcRm(w);
                return unit(rm(w, op(0x8A + wbit), d, true, s, 0, 0), "mov " + Regs.name(d, w) + "," + s.text(w), 0, 0, 0);
            }
            case 2: {
                Operand d = destRm(w);
                int ib = immBytes(w);
                long i = imm(ib);
                return unit(rm(w, op(0xC6 + wbit), 0, false, d, i, ib), "mov " + d.text(w) + "," + hex(i), 0, 0, 0);
            }
            default: { // mov reg, imm (B0+r / B8+r, imm64 with REX.W)
                int d = dest(w);
                int ib = w == 64 ? 8 : immBytes(w);
                long i = imm(ib);
                if (d >= 16) return unit(plain(NONE, 0, op(0xB0 + d - 12), i, 1), "mov " + Regs.name(d, 8) + "," + hex(i), 0, 0, 0);
                int rex = (w == 64 ? 8 : 0) | (d >= 8 ? 1 : 0) | (w == 8 && d >= 4 ? 0x10 : 0);
                byte[] b = plain(prefixFor(w), rex == 0x10 ? 0 : rex & 0xF, op((w == 8 ? 0xB0 : 0xB8) + (d & 7)), i, ib);
                if (rex == 0x10) b = plain(prefixFor(w), 0, op(0x40, 0xB0 + (d & 7)), i, ib); // bare REX for SPL..DIL
                return unit(b, "mov " + Regs.name(d, w) + "," + hex(i), 0, 0, 0);
            }
        }
    }

    private Unit push() {
        boolean word = rnd.nextInt(5) == 0;
        int w = word ? 16 : 64;
        switch (rnd.nextInt(4)) {
            case 0: {
                long i = imm(1);
                return unit(plain(prefixFor(w), 0, op(0x6A), i, 1), "push" + (word ? "w " : " ") + hex(i), 0, 0, 0);
            }
            case 1: {
                long i = imm(word ? 2 : 4);
                return unit(plain(prefixFor(w), 0, op(0x68), i, word ? 2 : 4), "push" + (word ? "w " : " ") + hex(i), 0, 0, 0);
            }
            case 2: {
                Operand s = scratch();
                return unit(modrm(false, prefixFor(w), op(0xFF), 6, false, s, false, 0, 0), "push " + s.text(w), 0, 0, 0);
            }
            default: {
                int r = rnd.nextInt(16);
                return unit(plain(prefixFor(w), r >= 8 ? 1 : 0, op(0x50 + (r & 7)), 0, 0), "push " + Regs.name(r, w), 0, 0, 0);
            }
        }
    }

    private Unit pop() {
        boolean word = rnd.nextInt(5) == 0;
        int w = word ? 16 : 64;
        if (rnd.nextInt(3) == 0) {
            Operand d = scratch();
            return unit(modrm(false, prefixFor(w), op(0x8F), 0, false, d, false, 0, 0), "pop " + d.text(w), 0, 0, 0);
        }
        int r = dest(64);
        return unit(plain(prefixFor(w), r >= 8 ? 1 : 0, op(0x58 + (r & 7)), 0, 0), "pop " + Regs.name(r, w), 0, 0, 0);
    }

    private Unit convert() {
        return switch (rnd.nextInt(6)) {
            case 0 -> Unit.of(plain(Encoder.OSIZE, 0, op(0x98), 0, 0), "cbw");
            case 1 -> Unit.of(plain(NONE, 0, op(0x98), 0, 0), "cwde");
            case 2 -> Unit.of(plain(NONE, 8, op(0x98), 0, 0), "cdqe");
            case 3 -> Unit.of(plain(Encoder.OSIZE, 0, op(0x99), 0, 0), "cwd");
            case 4 -> Unit.of(plain(NONE, 0, op(0x99), 0, 0), "cdq");
            default -> Unit.of(plain(NONE, 8, op(0x99), 0, 0), "cqo");
        };
    }

    private Unit flagOp() {
        int lahfFlags = SF | ZF | AF | PF | CF;
        return switch (rnd.nextInt(5)) {
            case 0 -> new Unit(plain(NONE, 0, op(0x9F), 0, 0), "lahf", lahfFlags, 0, 0);
            case 1 -> new Unit(plain(NONE, 0, op(0x9E), 0, 0), "sahf", 0, lahfFlags, 0);
            case 2 -> new Unit(plain(NONE, 0, op(0xF8), 0, 0), "clc", 0, CF, 0);
            case 3 -> new Unit(plain(NONE, 0, op(0xF9), 0, 0), "stc", 0, CF, 0);
            default -> new Unit(plain(NONE, 0, op(0xF5), 0, 0), "cmc", CF, CF, 0);
        };
    }

    private Unit nop() {
        if (rnd.nextBoolean()) return Unit.of(plain(NONE, 0, op(0x90), 0, 0), "nop");
        Operand m = scratch();
        return unit(modrm(false, NONE, op(0x0F, 0x1F), 0, false, m, false, 0, 0), "nop " + m.text(32), 0, 0, 0);
    }

    /** Jcc (or JRCXZ) forward over one simple unit: taken or not, both paths end at the same place. */
    private Unit jumpOver() {
        Unit inner = simple();
        if (inner == null || (inner.reads() & undefined) != 0 || inner.bytes().length > 127) return null;
        int len = inner.bytes().length;
        byte[] b;
        String text;
        int reads;
        if (rnd.nextInt(6) == 0) {
            b = plain(NONE, 0, op(0xE3), len, 1);
            text = "jrcxz +" + len;
            reads = 0;
        } else {
            int cc = rnd.nextInt(16);
            b = plain(NONE, 0, op(0x70 + cc), len, 1);
            text = "j" + Flags.CC[cc] + " +" + len;
            reads = Flags.readBy(cc);
        }
        byte[] all = new byte[b.length + len];
        System.arraycopy(b, 0, all, 0, b.length);
        System.arraycopy(inner.bytes(), 0, all, b.length, len);
        // whether the inner unit ran is data-dependent: its defined flags may still be undefined after
        return new Unit(all, text + " { " + inner.text() + " }", reads | inner.reads(), 0, inner.undefines());
    }

    static byte[] join(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) { System.arraycopy(p, 0, out, at, p.length); at += p.length; }
        return out;
    }
}
