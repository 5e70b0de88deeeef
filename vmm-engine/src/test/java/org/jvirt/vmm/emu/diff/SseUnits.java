package org.jvirt.vmm.emu.diff;

import java.util.SplittableRandom;

import static org.jvirt.vmm.emu.diff.Encoder.NONE;
import static org.jvirt.vmm.emu.diff.Encoder.modrm;
import static org.jvirt.vmm.emu.diff.Encoder.op;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.hex;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.join;

/**
 * SSE through SSE4.2 units (integer and floating point, moves, conversions, shuffles, MXCSR):
 * the forms both the host CPU and the emulator's CPU model have. Not generated: RCPPS/RSQRTPS
 * (approximations that differ between CPU implementations), DPPS/DPPD, the string compares.
 */
final class SseUnits {
    /** Operand kinds: the memory operand's size and alignment. */
    private static final int M128 = 0, M128U = 1, M64 = 2, M32 = 3, REGONLY = 4;

    /** name, mandatory prefix (0 for none), opcode bytes after 0F, memory kind, imm8 (0 none, else bound). */
    private record Form(String name, int prefix, int[] opcode, int mem, int imm) { }

    private static Form f(String n, int p, int mem, int imm, int... opc) { return new Form(n, p, opc, mem, imm); }

    private static final Form[] XMM_XMM = {
            // integer, 66-prefixed
            f("paddb", 0x66, M128, 0, 0xFC), f("paddw", 0x66, M128, 0, 0xFD), f("paddd", 0x66, M128, 0, 0xFE), f("paddq", 0x66, M128, 0, 0xD4),
            f("psubb", 0x66, M128, 0, 0xF8), f("psubw", 0x66, M128, 0, 0xF9), f("psubd", 0x66, M128, 0, 0xFA), f("psubq", 0x66, M128, 0, 0xFB),
            f("paddsb", 0x66, M128, 0, 0xEC), f("paddsw", 0x66, M128, 0, 0xED), f("paddusb", 0x66, M128, 0, 0xDC), f("paddusw", 0x66, M128, 0, 0xDD),
            f("psubsb", 0x66, M128, 0, 0xE8), f("psubsw", 0x66, M128, 0, 0xE9), f("psubusb", 0x66, M128, 0, 0xD8), f("psubusw", 0x66, M128, 0, 0xD9),
            f("pmullw", 0x66, M128, 0, 0xD5), f("pmulhw", 0x66, M128, 0, 0xE5), f("pmulhuw", 0x66, M128, 0, 0xE4), f("pmuludq", 0x66, M128, 0, 0xF4),
            f("pmaddwd", 0x66, M128, 0, 0xF5), f("pand", 0x66, M128, 0, 0xDB), f("pandn", 0x66, M128, 0, 0xDF), f("por", 0x66, M128, 0, 0xEB),
            f("pxor", 0x66, M128, 0, 0xEF), f("pcmpeqb", 0x66, M128, 0, 0x74), f("pcmpeqw", 0x66, M128, 0, 0x75), f("pcmpeqd", 0x66, M128, 0, 0x76),
            f("pcmpgtb", 0x66, M128, 0, 0x64), f("pcmpgtw", 0x66, M128, 0, 0x65), f("pcmpgtd", 0x66, M128, 0, 0x66),
            f("punpcklbw", 0x66, M128, 0, 0x60), f("punpcklwd", 0x66, M128, 0, 0x61), f("punpckldq", 0x66, M128, 0, 0x62), f("packsswb", 0x66, M128, 0, 0x63),
            f("packuswb", 0x66, M128, 0, 0x67), f("punpckhbw", 0x66, M128, 0, 0x68), f("punpckhwd", 0x66, M128, 0, 0x69), f("punpckhdq", 0x66, M128, 0, 0x6A),
            f("packssdw", 0x66, M128, 0, 0x6B), f("punpcklqdq", 0x66, M128, 0, 0x6C), f("punpckhqdq", 0x66, M128, 0, 0x6D),
            f("pavgb", 0x66, M128, 0, 0xE0), f("pavgw", 0x66, M128, 0, 0xE3), f("pminub", 0x66, M128, 0, 0xDA), f("pmaxub", 0x66, M128, 0, 0xDE),
            f("pminsw", 0x66, M128, 0, 0xEA), f("pmaxsw", 0x66, M128, 0, 0xEE), f("psadbw", 0x66, M128, 0, 0xF6),
            f("psrlw", 0x66, M128, 0, 0xD1), f("psrld", 0x66, M128, 0, 0xD2), f("psrlq", 0x66, M128, 0, 0xD3), f("psraw", 0x66, M128, 0, 0xE1),
            f("psrad", 0x66, M128, 0, 0xE2), f("psllw", 0x66, M128, 0, 0xF1), f("pslld", 0x66, M128, 0, 0xF2), f("psllq", 0x66, M128, 0, 0xF3),
            f("pshufd", 0x66, M128, 256, 0x70), f("pshufhw", 0xF3, M128, 256, 0x70), f("pshuflw", 0xF2, M128, 256, 0x70),
            // SSSE3
            f("pshufb", 0x66, M128, 0, 0x38, 0x00), f("phaddw", 0x66, M128, 0, 0x38, 0x01), f("phaddd", 0x66, M128, 0, 0x38, 0x02),
            f("phaddsw", 0x66, M128, 0, 0x38, 0x03), f("pmaddubsw", 0x66, M128, 0, 0x38, 0x04), f("phsubw", 0x66, M128, 0, 0x38, 0x05),
            f("phsubd", 0x66, M128, 0, 0x38, 0x06), f("psignb", 0x66, M128, 0, 0x38, 0x08), f("psignw", 0x66, M128, 0, 0x38, 0x09),
            f("psignd", 0x66, M128, 0, 0x38, 0x0A), f("pmulhrsw", 0x66, M128, 0, 0x38, 0x0B), f("pabsb", 0x66, M128, 0, 0x38, 0x1C),
            f("pabsw", 0x66, M128, 0, 0x38, 0x1D), f("pabsd", 0x66, M128, 0, 0x38, 0x1E), f("palignr", 0x66, M128, 32, 0x3A, 0x0F),
            // SSE4.1 / 4.2
            f("pmuldq", 0x66, M128, 0, 0x38, 0x28), f("pcmpeqq", 0x66, M128, 0, 0x38, 0x29), f("packusdw", 0x66, M128, 0, 0x38, 0x2B),
            f("pminsb", 0x66, M128, 0, 0x38, 0x38), f("pminsd", 0x66, M128, 0, 0x38, 0x39), f("pminuw", 0x66, M128, 0, 0x38, 0x3A),
            f("pminud", 0x66, M128, 0, 0x38, 0x3B), f("pmaxsb", 0x66, M128, 0, 0x38, 0x3C), f("pmaxsd", 0x66, M128, 0, 0x38, 0x3D),
            f("pmaxuw", 0x66, M128, 0, 0x38, 0x3E), f("pmaxud", 0x66, M128, 0, 0x38, 0x3F), f("pmulld", 0x66, M128, 0, 0x38, 0x40),
            f("phminposuw", 0x66, M128, 0, 0x38, 0x41), f("pcmpgtq", 0x66, M128, 0, 0x38, 0x37),
            f("pmovsxbw", 0x66, M64, 0, 0x38, 0x20), f("pmovsxwd", 0x66, M64, 0, 0x38, 0x23), f("pmovsxdq", 0x66, M64, 0, 0x38, 0x25),
            f("pmovzxbw", 0x66, M64, 0, 0x38, 0x30), f("pmovzxbd", 0x66, M32, 0, 0x38, 0x31), f("pmovzxdq", 0x66, M64, 0, 0x38, 0x35),
            f("pblendw", 0x66, M128, 256, 0x3A, 0x0E), f("blendps", 0x66, M128, 16, 0x3A, 0x0C), f("blendpd", 0x66, M128, 4, 0x3A, 0x0D),
            f("mpsadbw", 0x66, M128, 8, 0x3A, 0x42), f("insertps", 0x66, M32, 256, 0x3A, 0x21),
            f("roundps", 0x66, M128, 16, 0x3A, 0x08), f("roundpd", 0x66, M128, 16, 0x3A, 0x09),
            f("roundss", 0x66, M32, 16, 0x3A, 0x0A), f("roundsd", 0x66, M64, 16, 0x3A, 0x0B),
            // floating point
            f("addps", 0, M128, 0, 0x58), f("addpd", 0x66, M128, 0, 0x58), f("addss", 0xF3, M32, 0, 0x58), f("addsd", 0xF2, M64, 0, 0x58),
            f("mulps", 0, M128, 0, 0x59), f("mulpd", 0x66, M128, 0, 0x59), f("mulss", 0xF3, M32, 0, 0x59), f("mulsd", 0xF2, M64, 0, 0x59),
            f("subps", 0, M128, 0, 0x5C), f("subpd", 0x66, M128, 0, 0x5C), f("subss", 0xF3, M32, 0, 0x5C), f("subsd", 0xF2, M64, 0, 0x5C),
            f("minps", 0, M128, 0, 0x5D), f("minpd", 0x66, M128, 0, 0x5D), f("minss", 0xF3, M32, 0, 0x5D), f("minsd", 0xF2, M64, 0, 0x5D),
            f("divps", 0, M128, 0, 0x5E), f("divpd", 0x66, M128, 0, 0x5E), f("divss", 0xF3, M32, 0, 0x5E), f("divsd", 0xF2, M64, 0, 0x5E),
            f("maxps", 0, M128, 0, 0x5F), f("maxpd", 0x66, M128, 0, 0x5F), f("maxss", 0xF3, M32, 0, 0x5F), f("maxsd", 0xF2, M64, 0, 0x5F),
            f("sqrtps", 0, M128, 0, 0x51), f("sqrtpd", 0x66, M128, 0, 0x51), f("sqrtss", 0xF3, M32, 0, 0x51), f("sqrtsd", 0xF2, M64, 0, 0x51),
            f("andps", 0, M128, 0, 0x54), f("andnpd", 0x66, M128, 0, 0x55), f("orps", 0, M128, 0, 0x56), f("xorpd", 0x66, M128, 0, 0x57),
            f("cmpps", 0, M128, 8, 0xC2), f("cmppd", 0x66, M128, 8, 0xC2), f("cmpss", 0xF3, M32, 8, 0xC2), f("cmpsd", 0xF2, M64, 8, 0xC2),
            f("unpcklps", 0, M128, 0, 0x14), f("unpckhps", 0, M128, 0, 0x15), f("unpcklpd", 0x66, M128, 0, 0x14), f("unpckhpd", 0x66, M128, 0, 0x15),
            f("shufps", 0, M128, 256, 0xC6), f("shufpd", 0x66, M128, 4, 0xC6),
            f("addsubps", 0xF2, M128, 0, 0xD0), f("addsubpd", 0x66, M128, 0, 0xD0), f("haddps", 0xF2, M128, 0, 0x7C), f("haddpd", 0x66, M128, 0, 0x7C),
            f("hsubps", 0xF2, M128, 0, 0x7D), f("hsubpd", 0x66, M128, 0, 0x7D),
            f("cvtdq2ps", 0, M128, 0, 0x5B), f("cvtps2dq", 0x66, M128, 0, 0x5B), f("cvttps2dq", 0xF3, M128, 0, 0x5B),
            f("cvtps2pd", 0, M64, 0, 0x5A), f("cvtpd2ps", 0x66, M128, 0, 0x5A), f("cvtss2sd", 0xF3, M32, 0, 0x5A), f("cvtsd2ss", 0xF2, M64, 0, 0x5A),
            f("cvtdq2pd", 0xF3, M64, 0, 0xE6), f("cvtpd2dq", 0xF2, M128, 0, 0xE6), f("cvttpd2dq", 0x66, M128, 0, 0xE6),
            // moves into an XMM register
            f("movdqa", 0x66, M128, 0, 0x6F), f("movdqu", 0xF3, M128U, 0, 0x6F), f("movaps", 0, M128, 0, 0x28), f("movups", 0, M128U, 0, 0x10),
            f("movss", 0xF3, M32, 0, 0x10), f("movsd", 0xF2, M64, 0, 0x10), f("movq", 0xF3, M64, 0, 0x7E),
            f("movddup", 0xF2, M64, 0, 0x12), f("movshdup", 0xF3, M128, 0, 0x16), f("movsldup", 0xF3, M128, 0, 0x12),
            f("movhlps/movlps", 0, M64, 0, 0x12), f("movlhps/movhps", 0, M64, 0, 0x16),
    };

    /** Stores (memory destination; some also have a register form). */
    private static final Form[] STORES = {
            f("movdqa", 0x66, M128, 0, 0x7F), f("movdqu", 0xF3, M128U, 0, 0x7F), f("movaps", 0, M128, 0, 0x29), f("movups", 0, M128U, 0, 0x11),
            f("movss", 0xF3, M32, 0, 0x11), f("movsd", 0xF2, M64, 0, 0x11), f("movq", 0x66, M64, 0, 0xD6), f("movlps", 0, M64, 0, 0x13),
            f("movhps", 0, M64, 0, 0x17), f("movhpd", 0x66, M64, 0, 0x17), f("movlpd", 0x66, M64, 0, 0x13),
    };

    private final SequenceGenerator g;
    private final SplittableRandom rnd;

    SseUnits(SequenceGenerator g) {
        this.g = g;
        this.rnd = g.random();
    }

    Unit any() {
        int k = rnd.nextInt(20);
        if (k < 12) return xmmXmm();
        if (k < 14) return store();
        if (k < 15) return shiftImm();
        if (k < 17) return gprForms();
        if (k < 18) return compareToFlags();
        if (k < 19) return extractInsert();
        return mxcsr();
    }

    private int xmm() { return rnd.nextInt(16); }

    private Operand memory(int kind) { return g.scratch(kind == M128 ? 16 : 1); }

    private static int width(int kind) { return kind == M64 ? 64 : kind == M32 ? 32 : 128; }

    private static int[] prefix(int p) { return p == 0 ? NONE : op(p); }

    private static int[] opcode(int[] o) {
        int[] b = new int[o.length + 1];
        b[0] = 0x0F;
        System.arraycopy(o, 0, b, 1, o.length);
        return b;
    }

    private Unit xmmXmm() {
        Form f = XMM_XMM[rnd.nextInt(XMM_XMM.length)];
        int d = xmm();
        Operand s = rnd.nextInt(3) == 0 ? memory(f.mem) : Operand.reg(xmm());
        int imm = f.imm == 0 ? 0 : rnd.nextInt(f.imm);
        if (f.name.startsWith("round")) imm = rnd.nextInt(16); // bit 2: MXCSR.RC, bit 3: suppress PE
        byte[] b = modrm(false, prefix(f.prefix), opcode(f.opcode), d, true, s, false, imm, f.imm == 0 ? 0 : 1);
        String name = f.name.contains("/") ? f.name.split("/")[s.memory() ? 1 : 0] : f.name;
        return Unit.of(b, name + " xmm" + d + "," + (s.memory() ? s.text(width(f.mem)) : "xmm" + s.reg()) + (f.imm == 0 ? "" : "," + hex(imm)));
    }

    private Unit store() {
        Form f = STORES[rnd.nextInt(STORES.length)];
        Operand m = memory(f.mem);
        int s = xmm();
        return Unit.of(modrm(false, prefix(f.prefix), opcode(f.opcode), s, true, m, false, 0, 0), f.name + " " + m.text(width(f.mem)) + ",xmm" + s);
    }

    /** PSRLW/PSRAW/PSLLW, D and Q, PSRLDQ/PSLLDQ by an immediate (register form only). */
    private Unit shiftImm() {
        int[][] forms = {{0x71, 2}, {0x71, 4}, {0x71, 6}, {0x72, 2}, {0x72, 4}, {0x72, 6}, {0x73, 2}, {0x73, 6}, {0x73, 3}, {0x73, 7}};
        String[] names = {"psrlw", "psraw", "psllw", "psrld", "psrad", "pslld", "psrlq", "psllq", "psrldq", "pslldq"};
        int k = rnd.nextInt(forms.length), d = xmm(), count = rnd.nextInt(3) == 0 ? rnd.nextInt(256) : rnd.nextInt(20);
        byte[] b = modrm(false, op(0x66), op(0x0F, forms[k][0]), forms[k][1], false, Operand.reg(d), false, count, 1);
        return Unit.of(b, names[k] + " xmm" + d + "," + hex(count));
    }

    /** Moves and conversions between general registers (or memory) and XMM registers. */
    private Unit gprForms() {
        int x = xmm();
        boolean wide = rnd.nextBoolean();
        int w = wide ? 64 : 32;
        switch (rnd.nextInt(7)) {
            case 0: { // movd/movq xmm, r/m
                Operand s = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(rnd.nextInt(16));
                return Unit.of(modrm(wide, op(0x66), op(0x0F, 0x6E), x, true, s, false, 0, 0), (wide ? "movq" : "movd") + " xmm" + x + "," + s.text(w));
            }
            case 1: { // movd/movq r/m, xmm
                Operand d = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(g.dest(w));
                return Unit.of(modrm(wide, op(0x66), op(0x0F, 0x7E), x, true, d, false, 0, 0), (wide ? "movq " : "movd ") + d.text(w) + ",xmm" + x);
            }
            case 2: { // cvtsi2sd / cvtsi2ss
                boolean sd = rnd.nextBoolean();
                Operand s = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(rnd.nextInt(16));
                return Unit.of(modrm(wide, op(sd ? 0xF2 : 0xF3), op(0x0F, 0x2A), x, true, s, false, 0, 0),
                        (sd ? "cvtsi2sd" : "cvtsi2ss") + " xmm" + x + "," + s.text(w));
            }
            case 3: case 4: { // cvt(t)sd2si / cvt(t)ss2si
                boolean sd = rnd.nextBoolean(), trunc = rnd.nextBoolean();
                int d = g.dest(w);
                Operand s = rnd.nextInt(3) == 0 ? memory(sd ? M64 : M32) : Operand.reg(xmm());
                return Unit.of(modrm(wide, op(sd ? 0xF2 : 0xF3), op(0x0F, trunc ? 0x2C : 0x2D), d, true, s, false, 0, 0),
                        "cvt" + (trunc ? "t" : "") + (sd ? "sd2si " : "ss2si ") + Regs.name(d, w) + "," + (s.memory() ? s.text(sd ? 64 : 32) : "xmm" + s.reg()));
            }
            case 5: { // movmskps / movmskpd / pmovmskb
                int k = rnd.nextInt(3), d = g.dest(32);
                byte[] b = modrm(false, k == 0 ? NONE : op(0x66), op(0x0F, k == 2 ? 0xD7 : 0x50), d, true, Operand.reg(xmm()), false, 0, 0);
                return Unit.of(b, new String[]{"movmskps ", "movmskpd ", "pmovmskb "}[k] + Regs.name(d, 32) + ",xmm..");
            }
            default: { // crc32 r32/r64, r/m8 / r/m32|64
                boolean bytes = rnd.nextBoolean();
                int d = g.dest(w);
                Operand s = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(bytes ? rnd.nextInt(16) : rnd.nextInt(16));
                byte[] b = modrm(wide, op(0xF2), op(0x0F, 0x38, bytes ? 0xF0 : 0xF1), d, true, false, s, bytes, 0, 0);
                return SequenceGenerator.unit(b, "crc32 " + Regs.name(d, w) + "," + s.text(bytes ? 8 : w), 0, 0, 0);
            }
        }
    }

    /** (U)COMISS/SD and PTEST: they set ZF, PF, CF (and clear OF, SF, AF). */
    private Unit compareToFlags() {
        int a = xmm(), k = rnd.nextInt(5);
        if (k == 4) {
            Operand s = rnd.nextInt(3) == 0 ? memory(M128) : Operand.reg(xmm());
            return new Unit(modrm(false, op(0x66), op(0x0F, 0x38, 0x17), a, true, s, false, 0, 0), "ptest xmm" + a + "," + s.text(128), 0, Flags.ALL, 0);
        }
        boolean sd = (k & 1) != 0, unordered = (k & 2) != 0;
        Operand s = rnd.nextInt(3) == 0 ? memory(sd ? M64 : M32) : Operand.reg(xmm());
        byte[] b = modrm(false, sd ? op(0x66) : NONE, op(0x0F, unordered ? 0x2E : 0x2F), a, true, s, false, 0, 0);
        return new Unit(b, (unordered ? "ucomis" : "comis") + (sd ? "d" : "s") + " xmm" + a + "," + (s.memory() ? s.text(sd ? 64 : 32) : "xmm" + s.reg()), 0, Flags.ALL, 0);
    }

    /** PEXTRW/PINSRW and the SSE4.1 PEXTRB/D/Q, PINSRB/D/Q, EXTRACTPS. */
    private Unit extractInsert() {
        int x = xmm(), imm = rnd.nextInt(16);
        switch (rnd.nextInt(4)) {
            case 0: {
                int d = g.dest(32);
                return Unit.of(modrm(false, op(0x66), op(0x0F, 0xC5), d, true, Operand.reg(xmm()), false, imm & 7, 1), "pextrw " + Regs.name(d, 32) + ",xmm..," + (imm & 7));
            }
            case 1: {
                Operand s = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(rnd.nextInt(16));
                return Unit.of(modrm(false, op(0x66), op(0x0F, 0xC4), x, true, s, false, imm & 7, 1), "pinsrw xmm" + x + "," + s.text(16) + "," + (imm & 7));
            }
            case 2: { // pextrb / pextrd|q / extractps to r/m
                int k = rnd.nextInt(3);
                boolean wide = k == 1 && rnd.nextBoolean();
                Operand d = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(g.dest(32));
                int opc = k == 0 ? 0x14 : k == 1 ? 0x16 : 0x17;
                int i = k == 0 ? imm : k == 1 ? imm & (wide ? 1 : 3) : imm & 3;
                return Unit.of(modrm(wide, op(0x66), op(0x0F, 0x3A, opc), x, true, d, false, i, 1),
                        (k == 0 ? "pextrb " : k == 1 ? (wide ? "pextrq " : "pextrd ") : "extractps ") + d.text(k == 0 ? 8 : wide ? 64 : 32) + ",xmm" + x + "," + i);
            }
            default: { // pinsrb / pinsrd|q
                boolean bytes = rnd.nextBoolean(), wide = !bytes && rnd.nextBoolean();
                Operand s = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(rnd.nextInt(16));
                int i = bytes ? imm : imm & (wide ? 1 : 3);
                return Unit.of(modrm(wide, op(0x66), op(0x0F, 0x3A, bytes ? 0x20 : 0x22), x, true, s, false, i, 1),
                        (bytes ? "pinsrb" : wide ? "pinsrq" : "pinsrd") + " xmm" + x + "," + s.text(bytes ? 8 : wide ? 64 : 32) + "," + i);
            }
        }
    }

    /**
     * STMXCSR, or mov dword [m], value; LDMXCSR [m] with a valid MXCSR; a third of those unmask
     * some exceptions, so that a later operation may end the sequence with #XM (both backends
     * must then take it at the same instruction with the same state).
     */
    private Unit mxcsr() {
        Operand m = g.scratch();
        byte[] st = modrm(false, NONE, op(0x0F, 0xAE), 3, false, m, false, 0, 0);
        if (rnd.nextBoolean()) return Unit.of(st, "stmxcsr " + m.text(32));
        int v = randomMxcsr(rnd);
        if (rnd.nextInt(3) == 0) v &= ~(rnd.nextInt(64) << 7);
        byte[] mov = modrm(false, NONE, op(0xC7), 0, false, m, false, v, 4);
        byte[] ld = modrm(false, NONE, op(0x0F, 0xAE), 2, false, m, false, 0, 0);
        return Unit.of(join(mov, ld), "mov " + m.text(32) + "," + hex(v) + "; ldmxcsr " + m.text(32));
    }

    /** All exceptions masked; random rounding, FTZ, DAZ and sticky flags. */
    static int randomMxcsr(SplittableRandom r) {
        return 0x1F80 | (r.nextInt(4) << 13) | (r.nextInt(4) == 0 ? 0x8000 : 0) | (r.nextInt(4) == 0 ? 0x40 : 0) | (r.nextInt(3) == 0 ? r.nextInt(64) : 0);
    }

    /** Initial XMM lane values: special floats and doubles (zeros, infinities, NaNs, denormals, extremes) and random bits. */
    static long lane(SplittableRandom r) {
        long[] doubles = {0, 0x8000000000000000L, 0x3FF0000000000000L, 0xBFF0000000000000L, 0x7FF0000000000000L, 0xFFF0000000000000L,
                0x7FF8000000000000L, 0xFFF8000000000000L, 0x7FF4000000000001L, 0x0000000000000001L, 0x000FFFFFFFFFFFFFL,
                0x7FEFFFFFFFFFFFFFL, 0x0010000000000000L, 0x41E0000000000000L, 0xC3E0000000000000L};
        int[] floats = {0, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FA00001,
                0x00000001, 0x007FFFFF, 0x7F7FFFFF, 0x00800000, 0x4F000000, 0xCF000000};
        return switch (r.nextInt(6)) {
            case 0 -> doubles[r.nextInt(doubles.length)];
            case 1 -> (floats[r.nextInt(floats.length)] & 0xFFFFFFFFL) | (long) floats[r.nextInt(floats.length)] << 32;
            case 2 -> Double.doubleToRawLongBits((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(-80, 80)));
            case 3 -> (Float.floatToRawIntBits((float) ((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(-40, 40)))) & 0xFFFFFFFFL)
                    | (long) Float.floatToRawIntBits((float) ((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(-40, 40)))) << 32;
            default -> r.nextLong();
        };
    }
}
