package org.jvirt.vmm.emu.diff;

import java.util.SplittableRandom;

import static org.jvirt.vmm.emu.diff.Encoder.NONE;
import static org.jvirt.vmm.emu.diff.Encoder.modrm;
import static org.jvirt.vmm.emu.diff.Encoder.op;
import static org.jvirt.vmm.emu.diff.Encoder.plain;
import static org.jvirt.vmm.emu.diff.Encoder.prefixFor;
import static org.jvirt.vmm.emu.diff.Flags.ALL;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.hex;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.immBytes;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.join;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.rm;

/** Units whose operands are implicit registers set up in the same unit: string instructions and DIV/IDIV. */
final class ImplicitOperandUnits {
    private final SequenceGenerator g;
    private final SplittableRandom rnd;

    ImplicitOperandUnits(SequenceGenerator g) {
        this.g = g;
        this.rnd = g.random();
    }

    /**
     * A (REP) string instruction on the scratch page, with DF=1 sometimes: RSI/RDI/RCX set up by
     * LEA and MOV; or with a 32-bit address size (67), where only ESI/EDI/ECX count and the
     * upper halves are set to garbage first; or with an FS override of the source (FS:RSI).
     */
    Unit string() {
        int w = g.width(), n = rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(1, 13);
        int k = rnd.nextInt(5); // movs stos lods cmps scas
        int[] base = {0xA4, 0xAA, 0xAC, 0xA6, 0xAE};
        String[] name = {"movs", "stos", "lods", "cmps", "scas"};
        boolean compare = k >= 3, readsSource = k == 0 || k == 2 || k == 3;
        int rep = rnd.nextInt(3); // none, F3, F2 (F2 only for the compares)
        if (rep == 2 && !compare) rep = 1;
        if (rep == 0 && n == 0) n = 1;
        boolean down = rnd.nextInt(4) == 0;
        int mode = rnd.nextInt(4); // 0,1: 64-bit addresses; 2: 32-bit addresses; 3: FS source
        if (mode == 3 && !readsSource) mode = 0;
        int d1 = rnd.nextInt(-0x600, 0x600), d2 = rnd.nextInt(-0x600, 0x600);
        byte[] setupBytes;
        String setupText;
        byte[] leaDi = modrm(true, NONE, op(0x8D), Regs.RDI, true, Operand.scratch(d2), false, 0, 0);
        if (mode == 2) {
            long junk = (long) rnd.nextInt() << 32;
            long si = junk | (DiffLayout.SCRATCH_BASE + d1), di = ((long) rnd.nextInt() << 32) | (DiffLayout.SCRATCH_BASE + d2),
                    cx = ((long) rnd.nextInt() << 32) | n;
            setupBytes = join(plain(NONE, 8, op(0xBE), si, 8), plain(NONE, 8, op(0xBF), di, 8), plain(NONE, 8, op(0xB9), cx, 8));
            setupText = "mov rsi," + hex(si) + "; mov rdi," + hex(di) + "; mov rcx," + hex(cx);
        } else if (mode == 3) {
            setupBytes = join(plain(NONE, 8, op(0xC7, 0xC6), d1, 4), leaDi, plain(NONE, 0, op(0xB9), n, 4));
            setupText = "mov rsi," + hex(d1) + "; lea rdi,[r15" + hex(d2) + "]; mov ecx," + n;
        } else {
            setupBytes = join(modrm(true, NONE, op(0x8D), Regs.RSI, true, Operand.scratch(d1), false, 0, 0), leaDi, plain(NONE, 0, op(0xB9), n, 4));
            setupText = "lea rsi,[r15" + hex(d1) + "]; lea rdi,[r15" + hex(d2) + "]; mov ecx," + n;
        }
        Unit setup = Unit.of(join(setupBytes, down ? plain(NONE, 0, op(0xFD), 0, 0) : new byte[0]), setupText + (down ? "; std" : ""));
        java.io.ByteArrayOutputStream pre = new java.io.ByteArrayOutputStream();
        if (mode == 3) pre.write(0x64);
        if (mode == 2) pre.write(0x67);
        if (rep != 0) pre.write(rep == 1 ? 0xF3 : 0xF2);
        if (w == 16) pre.write(0x66);
        int[] prefixes = pre.toByteArray().length == 0 ? NONE : toInts(pre.toByteArray());
        byte[] insn = plain(prefixes, w == 64 ? 8 : 0, op(base[k] + (w == 8 ? 0 : 1)), 0, 0);
        String suffix = switch (w) { case 8 -> "b"; case 16 -> "w"; case 32 -> "d"; default -> "q"; };
        String text = (mode == 3 ? "fs: " : "") + (mode == 2 ? "addr32 " : "") + (rep == 0 ? "" : rep == 1 ? (compare ? "repe " : "rep ") : "repne ")
                + name[k] + suffix;
        byte[] tail = down ? plain(NONE, 0, op(0xFC), 0, 0) : new byte[0];
        Unit u = new Unit(join(insn, tail), text + (down ? "; cld" : ""), 0, compare && n > 0 ? ALL : 0, 0);
        return u.after(setup);
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xFF;
        return out;
    }

    /** DIV/IDIV with the dividend and a non-zero divisor set up in the same unit so that no #DE can happen. */
    Unit divide() {
        int w = g.width();
        boolean signed = rnd.nextBoolean(), inMemory = rnd.nextInt(3) == 0;
        long max = w == 64 ? -1L : (1L << w) - 1;
        long divisor;
        if (signed) {
            do divisor = g.imm(w == 64 ? 4 : immBytes(w)); while (divisor >= -1 && divisor <= 1);
        } else {
            do divisor = rnd.nextLong() >>> rnd.nextInt(w == 64 ? 64 : 32 + 64 - w); while ((divisor & max) == 0);
            if (inMemory && w == 64) divisor &= 0x7FFFFFFFL;
            if (divisor == 0) divisor = 3;
        }
        divisor = w == 64 ? divisor : (divisor << (64 - w)) >> (64 - w);
        // divisor register: never RAX/RDX (nor AH..BH for bytes)
        int[] cands = {1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        int r = cands[rnd.nextInt(cands.length)];
        Operand src = inMemory ? g.scratch() : Operand.reg(r);
        byte[] load;
        String loadText;
        int ib = w == 64 ? (inMemory ? 4 : 8) : immBytes(w);
        if (inMemory) {
            load = rm(w, op(w == 8 ? 0xC6 : 0xC7), 0, false, src, divisor, w == 64 ? 4 : ib);
        } else if (w == 8) {
            load = modrm(false, NONE, op(0xC6), 0, false, src, true, divisor, 1);
        } else {
            int rex = (w == 64 ? 8 : 0) | (r >= 8 ? 1 : 0);
            load = plain(prefixFor(w), rex, op(0xB8 + (r & 7)), divisor, ib);
        }
        loadText = "mov " + src.text(w) + "," + hex(divisor);
        byte[] dividend;
        String dividendText;
        if (signed) {
            dividend = switch (w) {
                case 8 -> plain(Encoder.OSIZE, 0, op(0x98), 0, 0);
                case 16 -> plain(Encoder.OSIZE, 0, op(0x99), 0, 0);
                case 32 -> plain(NONE, 0, op(0x99), 0, 0);
                default -> plain(NONE, 8, op(0x99), 0, 0);
            };
            dividendText = switch (w) { case 8 -> "cbw"; case 16 -> "cwd"; case 32 -> "cdq"; default -> "cqo"; };
        } else { // the high half below the divisor: the quotient fits
            long high = Long.remainderUnsigned(rnd.nextLong(), divisor & max);
            if (w == 8) {
                dividend = plain(NONE, 0, op(0xB4), high, 1);
                dividendText = "mov ah," + hex(high);
            } else {
                dividend = plain(prefixFor(w), w == 64 ? 8 : 0, op(0xBA), high, w == 64 ? 8 : immBytes(w));
                dividendText = "mov " + Regs.name(Regs.RDX, w) + "," + hex(high);
            }
        }
        byte[] div = modrm(w == 64, prefixFor(w), op(w == 8 ? 0xF6 : 0xF7), signed ? 7 : 6, false, src, w == 8, 0, 0);
        if (load == null || div == null) return null;
        return new Unit(join(load, dividend, div), loadText + "; " + dividendText + "; " + (signed ? "idiv " : "div ") + src.text(w),
                0, 0, ALL);
    }
}
