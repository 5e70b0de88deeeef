package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F38;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F3A;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;

import org.jvirt.vmm.emu.cpu.CpuState;

/**
 * Packed integer instructions in their MMX (no prefix) and XMM (66) forms: MMX/SSE2 arithmetic,
 * compares, logic, shifts, unpacks, packs and shuffles, SSSE3 (PSHUFB, PALIGNR, PHADD/PHSUB,
 * PSIGN, PABS, PMULHRSW, PMADDUBSW) and SSE4.1 (PTEST, PMOVSX/ZX, PMIN/PMAX, PMULLD, PMULDQ,
 * PCMPEQQ, PACKUSDW, PHMINPOSUW) and SSE4.2's PCMPGTQ.
 */
final class SseInteger {
    private final SseContext c;
    private final FpuRegisters r;
    private final long[] four = new long[4];

    SseInteger(SseContext c) {
        this.c = c;
        this.r = c.r;
    }

    boolean execute() {
        if (c.prefix != PREFIX_NONE && c.prefix != PREFIX_66) return c.map == MAP_0F && c.opcode == 0x70 && shuffleWords();
        return switch (c.map) {
            case MAP_0F -> map0f();
            case MAP_0F38 -> map0f38();
            case MAP_0F3A -> c.opcode == 0x0f ? palignr()
                    : !mmx() && (c.opcode == 0x42 ? mpsadbw() : c.opcode == 0x44 && pclmulqdq());
            default -> false;
        };
    }

    private boolean mmx() { return c.prefix == PREFIX_NONE; }

    /** dest = fn(dest, src) lane-wise. */
    private boolean lanes(int fn, int bits) {
        if (mmx()) {
            c.srcMmx();
            int d = c.reg & 7;
            r.writeMmx(d, Lanes.apply(fn, bits, r.mant[d], c.sLo));
        } else {
            c.src128(true);
            int d = c.reg;
            c.setXmm(d, Lanes.apply(fn, bits, c.lo(d), c.sLo), Lanes.apply(fn, bits, c.hi(d), c.sHi));
        }
        return true;
    }

    private boolean narrowing(int kind) {
        if (mmx()) {
            c.srcMmx();
            int d = c.reg & 7;
            r.writeMmx(d, Lanes.narrow(kind, r.mant[d]) | Lanes.narrow(kind, c.sLo) << 32);
        } else {
            c.src128(true);
            int d = c.reg;
            c.setXmm(d, Lanes.narrow(kind, c.lo(d)) | Lanes.narrow(kind, c.hi(d)) << 32,
                    Lanes.narrow(kind, c.sLo) | Lanes.narrow(kind, c.sHi) << 32);
        }
        return true;
    }

    private boolean unpack(int bits, boolean high) {
        if (mmx()) {
            c.srcMmx();
            int d = c.reg & 7;
            r.writeMmx(d, Lanes.interleave(r.mant[d], c.sLo, bits, high));
        } else {
            c.src128(true);
            int d = c.reg;
            long a = high ? c.hi(d) : c.lo(d), b = high ? c.sHi : c.sLo;
            c.setXmm(d, Lanes.interleave(a, b, bits, false), Lanes.interleave(a, b, bits, true));
        }
        return true;
    }

    private boolean shiftByOperand(int bits, int kind) {
        if (mmx()) {
            c.srcMmx();
            int d = c.reg & 7;
            r.writeMmx(d, Lanes.shift(r.mant[d], bits, kind, c.sLo));
        } else {
            c.src128(true);
            int d = c.reg;
            c.setXmm(d, Lanes.shift(c.lo(d), bits, kind, c.sLo), Lanes.shift(c.hi(d), bits, kind, c.sLo));
        }
        return true;
    }

    private boolean quadOp(int which) {
        if (mmx()) {
            c.srcMmx();
            int d = c.reg & 7;
            r.writeMmx(d, quad(which, r.mant[d], c.sLo));
        } else {
            c.src128(true);
            int d = c.reg;
            c.setXmm(d, quad(which, c.lo(d), c.sLo), quad(which, c.hi(d), c.sHi));
        }
        return true;
    }

    private static long quad(int which, long a, long b) {
        return switch (which) {
            case 0 -> (a & 0xffffffffL) * (b & 0xffffffffL); // PMULUDQ
            case 1 -> Lanes.maddwd(a, b);
            case 2 -> Lanes.sadbw(a, b);
            case 3 -> Lanes.maddubsw(a, b);
            case 4 -> (long) (int) a * (int) b; // PMULDQ
            case 5 -> a & b;
            case 6 -> ~a & b;
            case 7 -> a | b;
            default -> a ^ b;
        };
    }

    private boolean map0f() {
        int op = c.opcode;
        switch (op) {
            case 0x60, 0x61, 0x62 -> { return unpack(8 << (op - 0x60), false); }
            case 0x68, 0x69, 0x6a -> { return unpack(8 << (op - 0x68), true); }
            case 0x6c, 0x6d -> {
                if (mmx()) return false;
                c.src128(true);
                int d = c.reg;
                if (op == 0x6c) c.setXmm(d, c.lo(d), c.sLo);
                else c.setXmm(d, c.hi(d), c.sHi);
                return true;
            }
            case 0x63 -> { return narrowing(Lanes.PACK_SSWB); }
            case 0x67 -> { return narrowing(Lanes.PACK_USWB); }
            case 0x6b -> { return narrowing(Lanes.PACK_SSDW); }
            case 0x64, 0x65, 0x66 -> { return lanes(Lanes.GT, 8 << (op - 0x64)); }
            case 0x74, 0x75, 0x76 -> { return lanes(Lanes.EQ, 8 << (op - 0x74)); }
            case 0x70 -> { return shuffleWords(); }
            case 0x71, 0x72, 0x73 -> { return shiftImmediate(); }
            case 0xd1, 0xd2, 0xd3 -> { return shiftByOperand(8 << (op - 0xd0), 0); }
            case 0xe1, 0xe2 -> { return shiftByOperand(8 << (op - 0xe0), 1); }
            case 0xf1, 0xf2, 0xf3 -> { return shiftByOperand(8 << (op - 0xf0), 2); }
            case 0xd4 -> { return lanes(Lanes.ADD, 64); }
            case 0xd5 -> { return lanes(Lanes.MULLO, 16); }
            case 0xd8, 0xd9 -> { return lanes(Lanes.SUBUS, 8 << (op - 0xd8)); }
            case 0xda -> { return lanes(Lanes.MINU, 8); }
            case 0xde -> { return lanes(Lanes.MAXU, 8); }
            case 0xdb -> { return quadOp(5); }
            case 0xdf -> { return quadOp(6); }
            case 0xeb -> { return quadOp(7); }
            case 0xef -> { return quadOp(8); }
            case 0xdc, 0xdd -> { return lanes(Lanes.ADDUS, 8 << (op - 0xdc)); }
            case 0xe0 -> { return lanes(Lanes.AVGU, 8); }
            case 0xe3 -> { return lanes(Lanes.AVGU, 16); }
            case 0xe4 -> { return lanes(Lanes.MULHU, 16); }
            case 0xe5 -> { return lanes(Lanes.MULHS, 16); }
            case 0xe8, 0xe9 -> { return lanes(Lanes.SUBS, 8 << (op - 0xe8)); }
            case 0xea -> { return lanes(Lanes.MINS, 16); }
            case 0xee -> { return lanes(Lanes.MAXS, 16); }
            case 0xec, 0xed -> { return lanes(Lanes.ADDS, 8 << (op - 0xec)); }
            case 0xf4 -> { return quadOp(0); }
            case 0xf5 -> { return quadOp(1); }
            case 0xf6 -> { return quadOp(2); }
            case 0xf7 -> { return maskMove(); }
            case 0xf8, 0xf9, 0xfa, 0xfb -> { return lanes(Lanes.SUB, 8 << (op - 0xf8)); }
            case 0xfc, 0xfd, 0xfe -> { return lanes(Lanes.ADD, 8 << (op - 0xfc)); }
            default -> { return false; }
        }
    }

    /** PSHUFW (mm), PSHUFD (66), PSHUFHW (F3), PSHUFLW (F2). */
    private boolean shuffleWords() {
        int imm = c.imm8, d = c.reg;
        switch (c.prefix) {
            case PREFIX_NONE -> {
                c.srcMmx();
                r.writeMmx(d & 7, shuffle4x16(c.sLo, imm));
            }
            case PREFIX_66 -> {
                c.src128(true);
                long l = c.sLo, h = c.sHi;
                c.setXmm(d, SseMoves.dword(l, h, imm & 3) | SseMoves.dword(l, h, (imm >> 2) & 3) << 32,
                        SseMoves.dword(l, h, (imm >> 4) & 3) | SseMoves.dword(l, h, (imm >> 6) & 3) << 32);
            }
            case PREFIX_F3 -> {
                c.src128(true);
                c.setXmm(d, c.sLo, shuffle4x16(c.sHi, imm));
            }
            case PREFIX_F2 -> {
                c.src128(true);
                c.setXmm(d, shuffle4x16(c.sLo, imm), c.sHi);
            }
            default -> { return false; }
        }
        return true;
    }

    private static long shuffle4x16(long v, int imm) {
        long out = 0;
        for (int i = 0; i < 4; i++) out |= ((v >>> (16 * ((imm >> (2 * i)) & 3))) & 0xffff) << (16 * i);
        return out;
    }

    /** 0F 71/72/73: /2 PSRL, /4 PSRA, /6 PSLL by imm8; 0F 73 /3 PSRLDQ and /7 PSLLDQ (66 only). */
    private boolean shiftImmediate() {
        if (!c.isReg()) return false;
        int sub = c.modrmReg(), bits = 16 << (c.opcode - 0x71), imm = c.imm8;
        int kind = sub == 2 ? 0 : sub == 4 ? 1 : sub == 6 ? 2 : -1;
        if (c.opcode == 0x73 && (sub == 3 || sub == 7)) {
            if (mmx()) return false;
            byteShift(c.rm, sub == 7, imm);
            return true;
        }
        if (kind < 0 || (kind == 1 && bits == 64)) return false;
        if (mmx()) {
            int d = c.rm & 7;
            r.writeMmx(d, Lanes.shift(r.mant[d], bits, kind, imm));
        } else {
            int d = c.rm;
            c.setXmm(d, Lanes.shift(c.lo(d), bits, kind, imm), Lanes.shift(c.hi(d), bits, kind, imm));
        }
        return true;
    }

    private void byteShift(int d, boolean left, int n) {
        long lo = c.lo(d), hi = c.hi(d);
        if (n > 15) {
            c.setXmm(d, 0, 0);
            return;
        }
        int s = n * 8;
        if (s == 0) return;
        if (left) {
            if (s >= 64) c.setXmm(d, 0, lo << (s - 64));
            else c.setXmm(d, lo << s, (hi << s) | (lo >>> (64 - s)));
        } else {
            if (s >= 64) c.setXmm(d, hi >>> (s - 64), 0);
            else c.setXmm(d, (lo >>> s) | (hi << (64 - s)), hi >>> s);
        }
    }

    /** MASKMOVQ / MASKMOVDQU: byte-masked store to DS:rDI (64-bit or 32-bit address size by mode). */
    private boolean maskMove() {
        if (!c.isReg()) return false;
        CpuState cpu = c.cpu;
        long base = cpu.gpr[CpuState.RDI];
        if (!cpu.mode64()) base = cpu.seg[CpuState.DS].base + (base & 0xffffffffL);
        int n = mmx() ? 8 : 16;
        for (int i = 0; i < n; i++) {
            long data = mmx() ? r.mant[c.reg & 7] : r.xmm[2 * c.reg + (i >> 3)];
            long mask = mmx() ? r.mant[c.rm & 7] : r.xmm[2 * c.rm + (i >> 3)];
            int sh = (i & 7) * 8;
            if (((mask >>> (sh + 7)) & 1) != 0) c.mem.write8(base + i, (int) (data >>> sh), c.user);
        }
        return true;
    }

    private boolean map0f38() {
        int op = c.opcode;
        switch (op) {
            case 0x00 -> { return pshufb(); }
            case 0x01 -> { return narrowing(Lanes.HADD_W); }
            case 0x02 -> { return narrowing(Lanes.HADD_D); }
            case 0x03 -> { return narrowing(Lanes.HADDS_W); }
            case 0x04 -> { return quadOp(3); }
            case 0x05 -> { return narrowing(Lanes.HSUB_W); }
            case 0x06 -> { return narrowing(Lanes.HSUB_D); }
            case 0x07 -> { return narrowing(Lanes.HSUBS_W); }
            case 0x08, 0x09, 0x0a -> { return lanes(Lanes.SIGN, 8 << (op - 0x08)); }
            case 0x0b -> { return lanes(Lanes.MULHRS, 16); }
            case 0x1c, 0x1d, 0x1e -> { return lanes(Lanes.ABS, 8 << (op - 0x1c)); }
            default -> { }
        }
        if (mmx()) return false;
        switch (op) {
            case 0x17 -> { // PTEST
                c.src128(true);
                int d = c.reg;
                boolean zf = ((c.lo(d) & c.sLo) | (c.hi(d) & c.sHi)) == 0;
                boolean cf = ((~c.lo(d) & c.sLo) | (~c.hi(d) & c.sHi)) == 0;
                long f = c.cpu.rflags() & ~CpuState.STATUS_FLAGS;
                c.cpu.setRflags(f | (zf ? CpuState.ZF : 0) | (cf ? CpuState.CF : 0));
                return true;
            }
            case 0x20, 0x21, 0x22, 0x23, 0x24, 0x25 -> { return extend(op - 0x20, true); }
            case 0x30, 0x31, 0x32, 0x33, 0x34, 0x35 -> { return extend(op - 0x30, false); }
            case 0x28 -> { return quadOp(4); }
            case 0x29 -> { return lanes(Lanes.EQ, 64); }
            case 0x2b -> { return narrowing(Lanes.PACK_USDW); }
            case 0x37 -> { return lanes(Lanes.GT, 64); }
            case 0x38 -> { return lanes(Lanes.MINS, 8); }
            case 0x39 -> { return lanes(Lanes.MINS, 32); }
            case 0x3a -> { return lanes(Lanes.MINU, 16); }
            case 0x3b -> { return lanes(Lanes.MINU, 32); }
            case 0x3c -> { return lanes(Lanes.MAXS, 8); }
            case 0x3d -> { return lanes(Lanes.MAXS, 32); }
            case 0x3e -> { return lanes(Lanes.MAXU, 16); }
            case 0x3f -> { return lanes(Lanes.MAXU, 32); }
            case 0x40 -> { return lanes(Lanes.MULLO, 32); }
            case 0x41 -> { // PHMINPOSUW
                c.src128(true);
                int best = 0xffff + 1, idx = 0;
                for (int i = 0; i < 8; i++) {
                    int w = (int) ((i < 4 ? c.sLo : c.sHi) >>> (16 * (i & 3))) & 0xffff;
                    if (w < best) {
                        best = w;
                        idx = i;
                    }
                }
                c.setXmm(c.reg, best | (long) idx << 16, 0);
                return true;
            }
            default -> { return false; }
        }
    }

    /** PMOVSX/PMOVZX: kind 0 BW, 1 BD, 2 BQ, 3 WD, 4 WQ, 5 DQ. The memory operand is 2-8 bytes, never aligned. */
    private boolean extend(int kind, boolean signed) {
        int from = kind < 3 ? 8 : kind < 5 ? 16 : 32;
        int to = kind == 0 ? 16 : kind == 1 || kind == 3 ? 32 : 64;
        int count = 128 / to;
        long src;
        if (c.isReg()) src = c.lo(c.rm);
        else {
            int bytes = count * from / 8;
            src = bytes == 8 ? c.mem.read64(c.addr, c.user) : bytes == 4 ? c.mem.read32(c.addr, c.user) & 0xffffffffL
                    : c.mem.read16(c.addr, c.user) & 0xffffL;
        }
        long lo = 0, hi = 0, fmask = (1L << from) - 1, tmask = to == 64 ? -1L : (1L << to) - 1;
        for (int i = 0; i < count; i++) {
            long e = (src >>> (i * from)) & fmask;
            if (signed) e = (e << (64 - from)) >> (64 - from);
            int pos = i * to;
            if (pos < 64) lo |= (e & tmask) << pos;
            else hi |= (e & tmask) << (pos - 64);
        }
        c.setXmm(c.reg, lo, hi);
        return true;
    }

    private boolean pshufb() {
        if (mmx()) {
            c.srcMmx();
            int d = c.reg & 7;
            long v = r.mant[d], out = 0;
            for (int i = 0; i < 8; i++) {
                int sel = (int) (c.sLo >>> (8 * i)) & 0xff;
                if ((sel & 0x80) == 0) out |= ((v >>> (8 * (sel & 7))) & 0xff) << (8 * i);
            }
            r.writeMmx(d, out);
        } else {
            c.src128(true);
            int d = c.reg;
            long vl = c.lo(d), vh = c.hi(d), ol = 0, oh = 0;
            for (int i = 0; i < 16; i++) {
                int sel = (int) ((i < 8 ? c.sLo : c.sHi) >>> (8 * (i & 7))) & 0xff;
                if ((sel & 0x80) != 0) continue;
                long b = (((sel & 8) == 0 ? vl : vh) >>> (8 * (sel & 7))) & 0xff;
                if (i < 8) ol |= b << (8 * i);
                else oh |= b << (8 * (i - 8));
            }
            c.setXmm(d, ol, oh);
        }
        return true;
    }

    /** MPSADBW: eight sums of absolute differences of a sliding 4-byte window of dest against one 4-byte block of src. */
    private boolean mpsadbw() {
        c.src128(true);
        int d = c.reg, imm = c.imm8;
        long dl = c.lo(d), dh = c.hi(d);
        int srcOff = (imm & 3) * 4, dstOff = (imm & 4) != 0 ? 4 : 0;
        long lo = 0, hi = 0;
        for (int i = 0; i < 8; i++) {
            int sum = 0;
            for (int k = 0; k < 4; k++) {
                int p = dstOff + i + k, q = srcOff + k;
                int a = (int) ((p < 8 ? dl >>> (8 * p) : dh >>> (8 * (p - 8))) & 0xff);
                int b = (int) ((q < 8 ? c.sLo >>> (8 * q) : c.sHi >>> (8 * (q - 8))) & 0xff);
                sum += Math.abs(a - b);
            }
            if (i < 4) lo |= (long) sum << (16 * i);
            else hi |= (long) sum << (16 * (i - 4));
        }
        c.setXmm(d, lo, hi);
        return true;
    }

    /** PCLMULQDQ: the carry-less product of the quadwords imm8[0] of dest and imm8[4] of src. */
    private boolean pclmulqdq() {
        c.src128(true);
        int d = c.reg, imm = c.imm8;
        long a = (imm & 1) != 0 ? c.hi(d) : c.lo(d), b = (imm & 0x10) != 0 ? c.sHi : c.sLo;
        long lo = 0, hi = 0;
        for (int i = 0; i < 64; i++) {
            if (((b >>> i) & 1) == 0) continue;
            lo ^= a << i;
            if (i > 0) hi ^= a >>> (64 - i);
        }
        c.setXmm(d, lo, hi);
        return true;
    }

    /** PALIGNR: (dest:src) shifted right by imm8 bytes, the low part kept. */
    private boolean palignr() {
        int n = c.imm8;
        if (mmx()) {
            c.srcMmx();
            int d = c.reg & 7;
            long dst = r.mant[d], out = 0;
            for (int i = 0; i < 8; i++) {
                int k = i + n;
                long b = k < 8 ? c.sLo >>> (8 * k) : k < 16 ? dst >>> (8 * (k - 8)) : 0;
                out |= (b & 0xff) << (8 * i);
            }
            r.writeMmx(d, out);
        } else {
            c.src128(true);
            int d = c.reg;
            long[] w = four;
            w[0] = c.sLo;
            w[1] = c.sHi;
            w[2] = c.lo(d);
            w[3] = c.hi(d);
            long ol = 0, oh = 0;
            for (int i = 0; i < 16; i++) {
                int k = i + n;
                long b = k < 32 ? (w[k >> 3] >>> (8 * (k & 7))) & 0xff : 0;
                if (i < 8) ol |= b << (8 * i);
                else oh |= b << (8 * (i - 8));
            }
            c.setXmm(d, ol, oh);
        }
        return true;
    }
}
