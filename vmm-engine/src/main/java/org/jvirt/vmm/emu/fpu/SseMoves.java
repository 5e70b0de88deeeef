package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F38;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F3A;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;

/**
 * Data movement: MOVUPS/APS/UPD/APD/DQU/DQA, MOVSS/SD, MOVLPS/HPS/LPD/HPD/HLPS/LHPS, MOVD/MOVQ
 * (GPR, MMX and XMM forms), MOVSLDUP/SHDUP/DDUP, the non-temporal stores and MOVNTDQA, LDDQU,
 * MOVMSKPS/PD, PMOVMSKB, the PS/PD logic ops, UNPCK*PS/PD, SHUFPS/PD, the SSE4.1 blends and
 * PINSR*, PEXTR*, INSERTPS, EXTRACTPS.
 */
final class SseMoves {
    private final SseContext c;
    private final FpuRegisters r;

    SseMoves(SseContext c) {
        this.c = c;
        this.r = c.r;
    }

    boolean execute() {
        return switch (c.map) {
            case MAP_0F -> map0f();
            case MAP_0F38 -> map0f38();
            case MAP_0F3A -> map0f3a();
            default -> false;
        };
    }

    private boolean map0f() {
        int p = c.prefix, reg = c.reg;
        long[] x = r.xmm;
        switch (c.opcode) {
            case 0x10 -> {
                if (p == PREFIX_F3) {
                    c.src32();
                    if (c.isReg()) x[2 * reg] = (x[2 * reg] & 0xffffffff00000000L) | c.sLo;
                    else c.setXmm(reg, c.sLo, 0);
                } else if (p == PREFIX_F2) {
                    c.src64();
                    if (c.isReg()) x[2 * reg] = c.sLo;
                    else c.setXmm(reg, c.sLo, 0);
                } else {
                    c.src128(false);
                    c.setXmm(reg, c.sLo, c.sHi);
                }
            }
            case 0x11 -> {
                if (p == PREFIX_F3) {
                    if (c.isReg()) x[2 * c.rm] = (x[2 * c.rm] & 0xffffffff00000000L) | (x[2 * reg] & 0xffffffffL);
                    else c.mem.write32(c.addr, (int) x[2 * reg], c.user);
                } else if (p == PREFIX_F2) {
                    if (c.isReg()) x[2 * c.rm] = x[2 * reg];
                    else c.mem.write64(c.addr, x[2 * reg], c.user);
                } else {
                    c.store128(false, x[2 * reg], x[2 * reg + 1]);
                }
            }
            case 0x12 -> {
                if (p == PREFIX_F3) { // MOVSLDUP
                    c.src128(true);
                    c.setXmm(reg, dup(c.sLo, false), dup(c.sHi, false));
                } else if (p == PREFIX_F2) { // MOVDDUP
                    c.src64();
                    c.setXmm(reg, c.sLo, c.sLo);
                } else if (c.isReg()) { // MOVHLPS
                    if (p != PREFIX_NONE) return false;
                    x[2 * reg] = x[2 * c.rm + 1];
                } else { // MOVLPS, MOVLPD
                    x[2 * reg] = c.mem.read64(c.addr, c.user);
                }
            }
            case 0x13, 0x17 -> {
                if (c.isReg() || p == PREFIX_F3 || p == PREFIX_F2) return false;
                c.mem.write64(c.addr, x[2 * reg + (c.opcode == 0x17 ? 1 : 0)], c.user);
            }
            case 0x14, 0x15 -> {
                if (p != PREFIX_NONE && p != PREFIX_66) return false;
                c.src128(true);
                boolean high = c.opcode == 0x15;
                long d = high ? x[2 * reg + 1] : x[2 * reg], s = high ? c.sHi : c.sLo;
                if (p == PREFIX_66) c.setXmm(reg, d, s);
                else c.setXmm(reg, (d & 0xffffffffL) | (s << 32), (d >>> 32) | (s & 0xffffffff00000000L));
            }
            case 0x16 -> {
                if (p == PREFIX_F3) { // MOVSHDUP
                    c.src128(true);
                    c.setXmm(reg, dup(c.sLo, true), dup(c.sHi, true));
                } else if (p == PREFIX_F2) {
                    return false;
                } else if (c.isReg()) { // MOVLHPS
                    if (p != PREFIX_NONE) return false;
                    x[2 * reg + 1] = x[2 * c.rm];
                } else { // MOVHPS, MOVHPD
                    x[2 * reg + 1] = c.mem.read64(c.addr, c.user);
                }
            }
            case 0x28 -> {
                if (p != PREFIX_NONE && p != PREFIX_66) return false;
                c.src128(true);
                c.setXmm(reg, c.sLo, c.sHi);
            }
            case 0x29 -> {
                if (p != PREFIX_NONE && p != PREFIX_66) return false;
                c.store128(true, x[2 * reg], x[2 * reg + 1]);
            }
            case 0x2b, 0xe7 -> {
                if (c.isReg()) return false;
                if (c.opcode == 0xe7 && p == PREFIX_NONE) c.mem.write64(c.addr, r.mant[reg & 7], c.user); // MOVNTQ
                else if (p == PREFIX_NONE || p == PREFIX_66) c.store128(true, x[2 * reg], x[2 * reg + 1]);
                else return false;
            }
            case 0x50 -> {
                if (!c.isReg() || (p != PREFIX_NONE && p != PREFIX_66)) return false;
                long lo = x[2 * c.rm], hi = x[2 * c.rm + 1];
                long m = p == PREFIX_66 ? (lo >>> 63) | (hi >>> 63) << 1
                        : (lo >>> 31 & 1) | (lo >>> 63) << 1 | (hi >>> 31 & 1) << 2 | (hi >>> 63) << 3;
                c.cpu.gpr[reg] = m;
            }
            case 0x54, 0x55, 0x56, 0x57 -> {
                if (p != PREFIX_NONE && p != PREFIX_66) return false;
                c.src128(true);
                long dl = x[2 * reg], dh = x[2 * reg + 1];
                switch (c.opcode) {
                    case 0x54 -> c.setXmm(reg, dl & c.sLo, dh & c.sHi);
                    case 0x55 -> c.setXmm(reg, ~dl & c.sLo, ~dh & c.sHi);
                    case 0x56 -> c.setXmm(reg, dl | c.sLo, dh | c.sHi);
                    default -> c.setXmm(reg, dl ^ c.sLo, dh ^ c.sHi);
                }
            }
            case 0x6e -> {
                long v = c.srcGprOrMem();
                if (p == PREFIX_NONE) r.writeMmx(reg & 7, v);
                else if (p == PREFIX_66) c.setXmm(reg, v, 0);
                else return false;
            }
            case 0x6f -> {
                if (p == PREFIX_NONE) {
                    c.srcMmx();
                    r.writeMmx(reg & 7, c.sLo);
                } else if (p == PREFIX_66 || p == PREFIX_F3) {
                    c.src128(p == PREFIX_66);
                    c.setXmm(reg, c.sLo, c.sHi);
                } else return false;
            }
            case 0x7e -> {
                if (p == PREFIX_F3) { // MOVQ xmm, xmm/m64
                    c.src64();
                    c.setXmm(reg, c.sLo, 0);
                    return true;
                }
                long v;
                if (p == PREFIX_NONE) v = r.mant[reg & 7];
                else if (p == PREFIX_66) v = x[2 * reg];
                else return false;
                if (c.isReg()) c.cpu.gpr[c.rm] = c.rexW ? v : v & 0xffffffffL;
                else if (c.rexW) c.mem.write64(c.addr, v, c.user);
                else c.mem.write32(c.addr, (int) v, c.user);
            }
            case 0x7f -> {
                if (p == PREFIX_NONE) {
                    if (c.isReg()) r.writeMmx(c.rm & 7, r.mant[reg & 7]);
                    else c.mem.write64(c.addr, r.mant[reg & 7], c.user);
                } else if (p == PREFIX_66 || p == PREFIX_F3) {
                    c.store128(p == PREFIX_66, x[2 * reg], x[2 * reg + 1]);
                } else return false;
            }
            case 0xd6 -> {
                if (p == PREFIX_66) {
                    if (c.isReg()) c.setXmm(c.rm, x[2 * reg], 0);
                    else c.mem.write64(c.addr, x[2 * reg], c.user);
                } else if (!c.isReg()) {
                    return false;
                } else if (p == PREFIX_F3) { // MOVQ2DQ xmm, mm
                    c.setXmm(reg, r.mant[c.rm & 7], 0);
                } else if (p == PREFIX_F2) { // MOVDQ2Q mm, xmm
                    r.writeMmx(reg & 7, x[2 * c.rm]);
                } else return false;
            }
            case 0xd7 -> {
                if (!c.isReg()) return false;
                if (p == PREFIX_NONE) c.cpu.gpr[reg] = byteMask(r.mant[c.rm & 7]);
                else if (p == PREFIX_66) c.cpu.gpr[reg] = byteMask(x[2 * c.rm]) | byteMask(x[2 * c.rm + 1]) << 8;
                else return false;
            }
            case 0xf0 -> {
                if (p != PREFIX_F2 || c.isReg()) return false;
                c.src128(false);
                c.setXmm(reg, c.sLo, c.sHi);
            }
            case 0xc4 -> { // PINSRW
                int v = c.isReg() ? (int) c.cpu.gpr[c.rm] : c.mem.read16(c.addr, c.user);
                if (p == PREFIX_NONE) {
                    int sh = (c.imm8 & 3) * 16;
                    r.writeMmx(reg & 7, (r.mant[reg & 7] & ~(0xffffL << sh)) | ((v & 0xffffL) << sh));
                } else if (p == PREFIX_66) {
                    insert(reg, (c.imm8 & 7) * 16, 16, v);
                } else return false;
            }
            case 0xc5 -> { // PEXTRW r, mm/xmm, imm8
                if (!c.isReg()) return false;
                if (p == PREFIX_NONE) c.cpu.gpr[reg] = (r.mant[c.rm & 7] >>> ((c.imm8 & 3) * 16)) & 0xffff;
                else if (p == PREFIX_66) c.cpu.gpr[reg] = extract(c.rm, (c.imm8 & 7) * 16, 16);
                else return false;
            }
            case 0xc6 -> {
                if (p != PREFIX_NONE && p != PREFIX_66) return false;
                c.src128(true);
                long dl = x[2 * reg], dh = x[2 * reg + 1];
                int i = c.imm8;
                if (p == PREFIX_66) {
                    c.setXmm(reg, (i & 1) != 0 ? dh : dl, (i & 2) != 0 ? c.sHi : c.sLo);
                } else {
                    long lo = dword(dl, dh, i & 3) | dword(dl, dh, (i >> 2) & 3) << 32;
                    long hi = dword(c.sLo, c.sHi, (i >> 4) & 3) | dword(c.sLo, c.sHi, (i >> 6) & 3) << 32;
                    c.setXmm(reg, lo, hi);
                }
            }
            default -> { return false; }
        }
        return true;
    }

    private boolean map0f38() {
        if (c.prefix != PREFIX_66) return false;
        int reg = c.reg;
        long[] x = r.xmm;
        switch (c.opcode) {
            case 0x2a -> { // MOVNTDQA
                if (c.isReg()) return false;
                c.src128(true);
                c.setXmm(reg, c.sLo, c.sHi);
            }
            case 0x10, 0x14, 0x15 -> { // PBLENDVB, BLENDVPS, BLENDVPD: mask in XMM0's element sign bits
                c.src128(true);
                int width = c.opcode == 0x10 ? 8 : c.opcode == 0x14 ? 32 : 64;
                c.setXmm(reg, blendv(x[2 * reg], c.sLo, x[0], width), blendv(x[2 * reg + 1], c.sHi, x[1], width));
            }
            default -> { return false; }
        }
        return true;
    }

    private boolean map0f3a() {
        if (c.prefix != PREFIX_66) return false;
        int reg = c.reg, imm = c.imm8;
        long[] x = r.xmm;
        switch (c.opcode) {
            case 0x0c, 0x0d, 0x0e -> { // BLENDPS, BLENDPD, PBLENDW
                c.src128(true);
                int width = c.opcode == 0x0c ? 32 : c.opcode == 0x0d ? 64 : 16;
                int per = 64 / width;
                long ml = expandMask(imm & ((1 << per) - 1), width), mh = expandMask(imm >> per, width);
                c.setXmm(reg, (x[2 * reg] & ~ml) | (c.sLo & ml), (x[2 * reg + 1] & ~mh) | (c.sHi & mh));
            }
            case 0x14, 0x15, 0x16, 0x17 -> { // PEXTRB, PEXTRW, PEXTRD/Q, EXTRACTPS
                int bits = c.opcode == 0x14 ? 8 : c.opcode == 0x15 ? 16 : (c.opcode == 0x16 && c.rexW) ? 64 : 32;
                long v = extract(reg, (imm & (128 / bits - 1)) * bits, bits);
                if (c.isReg()) c.cpu.gpr[c.rm] = v;
                else switch (bits) {
                    case 8 -> c.mem.write8(c.addr, (int) v, c.user);
                    case 16 -> c.mem.write16(c.addr, (int) v, c.user);
                    case 32 -> c.mem.write32(c.addr, (int) v, c.user);
                    default -> c.mem.write64(c.addr, v, c.user);
                }
            }
            case 0x20 -> insert(reg, (imm & 15) * 8, 8, c.isReg() ? c.cpu.gpr[c.rm] : c.mem.read8(c.addr, c.user));
            case 0x22 -> {
                if (c.rexW) insert(reg, (imm & 1) * 64, 64, c.isReg() ? c.cpu.gpr[c.rm] : c.mem.read64(c.addr, c.user));
                else insert(reg, (imm & 3) * 32, 32, c.isReg() ? c.cpu.gpr[c.rm] : c.mem.read32(c.addr, c.user));
            }
            case 0x21 -> { // INSERTPS
                long v;
                if (c.isReg()) v = dword(x[2 * c.rm], x[2 * c.rm + 1], (imm >> 6) & 3);
                else v = c.mem.read32(c.addr, c.user) & 0xffffffffL;
                insert(reg, ((imm >> 4) & 3) * 32, 32, v);
                for (int i = 0; i < 4; i++) if ((imm & (1 << i)) != 0) insert(reg, i * 32, 32, 0);
            }
            default -> { return false; }
        }
        return true;
    }

    private long extract(int xr, int bitPos, int bits) {
        long w = r.xmm[2 * xr + (bitPos >> 6)] >>> (bitPos & 63);
        return bits == 64 ? w : w & ((1L << bits) - 1);
    }

    private void insert(int xr, int bitPos, int bits, long v) {
        int i = 2 * xr + (bitPos >> 6);
        long mask = (bits == 64 ? -1L : (1L << bits) - 1) << (bitPos & 63);
        r.xmm[i] = (r.xmm[i] & ~mask) | ((v << (bitPos & 63)) & mask);
    }

    static long dword(long lo, long hi, int i) {
        long w = i < 2 ? lo : hi;
        return (i & 1) == 0 ? w & 0xffffffffL : w >>> 32;
    }

    /** Duplicates the even (odd when {@code odd}) dword of a quadword into both halves. */
    private static long dup(long q, boolean odd) {
        long d = odd ? q >>> 32 : q & 0xffffffffL;
        return d | d << 32;
    }

    /** The sign bits of the eight bytes of v, as bits 0-7. */
    static long byteMask(long v) {
        long m = 0;
        for (int i = 0; i < 8; i++) m |= ((v >>> (8 * i + 7)) & 1) << i;
        return m;
    }

    private static long expandMask(int bits, int width) {
        long m = 0, lane = width == 64 ? -1L : (1L << width) - 1;
        for (int i = 0; i < 64 / width; i++) if ((bits & (1 << i)) != 0) m |= lane << (i * width);
        return m;
    }

    private static long blendv(long d, long s, long mask, int width) {
        long sel = 0, lane = width == 64 ? -1L : (1L << width) - 1;
        for (int i = 0; i < 64 / width; i++) if (((mask >>> (i * width + width - 1)) & 1) != 0) sel |= lane << (i * width);
        return (d & ~sel) | (s & sel);
    }
}
