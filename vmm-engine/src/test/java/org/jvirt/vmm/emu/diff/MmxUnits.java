package org.jvirt.vmm.emu.diff;

import java.util.SplittableRandom;

import static org.jvirt.vmm.emu.diff.Encoder.NONE;
import static org.jvirt.vmm.emu.diff.Encoder.modrm;
import static org.jvirt.vmm.emu.diff.Encoder.op;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.hex;

/**
 * MMX units (the 0F forms without a prefix on MM0..MM7, which alias the x87 registers): packed
 * integer arithmetic, compares, packs and unpacks, shuffles, SSSE3 on MM registers, MOVD/MOVQ,
 * MOVQ2DQ/MOVDQ2Q, PEXTRW/PINSRW/PMOVMSKB, shifts and EMMS. A REX.B/REX.R on an MM register is
 * ignored by the CPU; the generator sets it sometimes.
 */
final class MmxUnits {
    /** name, opcode bytes after 0F, imm8 bound (0 none). */
    private record Form(String name, int[] opcode, int imm) { }

    private static Form f(String n, int imm, int... opc) { return new Form(n, opc, imm); }

    private static final Form[] MM_MM = {
            f("paddb", 0, 0xFC), f("paddw", 0, 0xFD), f("paddd", 0, 0xFE), f("paddq", 0, 0xD4), f("psubb", 0, 0xF8), f("psubw", 0, 0xF9),
            f("psubd", 0, 0xFA), f("psubq", 0, 0xFB), f("paddsb", 0, 0xEC), f("paddsw", 0, 0xED), f("paddusb", 0, 0xDC), f("paddusw", 0, 0xDD),
            f("psubsb", 0, 0xE8), f("psubsw", 0, 0xE9), f("psubusb", 0, 0xD8), f("psubusw", 0, 0xD9), f("pmullw", 0, 0xD5), f("pmulhw", 0, 0xE5),
            f("pmulhuw", 0, 0xE4), f("pmuludq", 0, 0xF4), f("pmaddwd", 0, 0xF5), f("pand", 0, 0xDB), f("pandn", 0, 0xDF), f("por", 0, 0xEB),
            f("pxor", 0, 0xEF), f("pcmpeqb", 0, 0x74), f("pcmpeqw", 0, 0x75), f("pcmpeqd", 0, 0x76), f("pcmpgtb", 0, 0x64), f("pcmpgtw", 0, 0x65),
            f("pcmpgtd", 0, 0x66), f("punpcklbw", 0, 0x60), f("punpcklwd", 0, 0x61), f("punpckldq", 0, 0x62), f("packsswb", 0, 0x63),
            f("packuswb", 0, 0x67), f("punpckhbw", 0, 0x68), f("punpckhwd", 0, 0x69), f("punpckhdq", 0, 0x6A), f("packssdw", 0, 0x6B),
            f("pavgb", 0, 0xE0), f("pavgw", 0, 0xE3), f("pminub", 0, 0xDA), f("pmaxub", 0, 0xDE), f("pminsw", 0, 0xEA), f("pmaxsw", 0, 0xEE),
            f("psadbw", 0, 0xF6), f("psrlw", 0, 0xD1), f("psrld", 0, 0xD2), f("psrlq", 0, 0xD3), f("psraw", 0, 0xE1), f("psrad", 0, 0xE2),
            f("psllw", 0, 0xF1), f("pslld", 0, 0xF2), f("psllq", 0, 0xF3), f("pshufw", 256, 0x70), f("movq", 0, 0x6F),
            f("pshufb", 0, 0x38, 0x00), f("phaddw", 0, 0x38, 0x01), f("phaddd", 0, 0x38, 0x02), f("phaddsw", 0, 0x38, 0x03),
            f("pmaddubsw", 0, 0x38, 0x04), f("phsubw", 0, 0x38, 0x05), f("phsubd", 0, 0x38, 0x06), f("psignb", 0, 0x38, 0x08),
            f("psignw", 0, 0x38, 0x09), f("psignd", 0, 0x38, 0x0A), f("pmulhrsw", 0, 0x38, 0x0B), f("pabsb", 0, 0x38, 0x1C),
            f("pabsw", 0, 0x38, 0x1D), f("pabsd", 0, 0x38, 0x1E), f("palignr", 16, 0x3A, 0x0F),
    };

    private final SequenceGenerator g;
    private final SplittableRandom rnd;

    MmxUnits(SequenceGenerator g) {
        this.g = g;
        this.rnd = g.random();
    }

    /** An MM register number, sometimes with the (ignored) REX bit set. */
    private int mm() { return rnd.nextInt(8) + (rnd.nextInt(6) == 0 ? 8 : 0); }

    Unit any() {
        switch (rnd.nextInt(12)) {
            case 0: { // shifts by an immediate
                int[][] forms = {{0x71, 2}, {0x71, 4}, {0x71, 6}, {0x72, 2}, {0x72, 4}, {0x72, 6}, {0x73, 2}, {0x73, 6}};
                String[] names = {"psrlw", "psraw", "psllw", "psrld", "psrad", "pslld", "psrlq", "psllq"};
                int k = rnd.nextInt(forms.length), d = mm(), count = rnd.nextInt(3) == 0 ? rnd.nextInt(256) : rnd.nextInt(40);
                return Unit.of(modrm(false, NONE, op(0x0F, forms[k][0]), forms[k][1], false, Operand.reg(d), false, count, 1),
                        names[k] + " mm" + (d & 7) + "," + hex(count));
            }
            case 1: { // movd/movq mm, r/m and back
                boolean wide = rnd.nextBoolean(), to = rnd.nextBoolean();
                int m = rnd.nextInt(8);
                Operand o = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(to ? rnd.nextInt(16) : g.dest(32));
                byte[] b = modrm(wide, NONE, op(0x0F, to ? 0x6E : 0x7E), m, true, o, false, 0, 0);
                String w = wide ? "movq " : "movd ";
                return Unit.of(b, to ? w + "mm" + m + "," + o.text(wide ? 64 : 32) : w + o.text(wide ? 64 : 32) + ",mm" + m);
            }
            case 2: { // movq m64, mm
                Operand o = g.scratch();
                int m = mm();
                return Unit.of(modrm(false, NONE, op(0x0F, 0x7F), m, true, o, false, 0, 0), "movq " + o.text(64) + ",mm" + (m & 7));
            }
            case 3: { // movq2dq xmm, mm / movdq2q mm, xmm
                boolean toXmm = rnd.nextBoolean();
                int x = rnd.nextInt(16), m = rnd.nextInt(8);
                byte[] b = toXmm ? modrm(false, op(0xF3), op(0x0F, 0xD6), x, true, Operand.reg(m), false, 0, 0)
                        : modrm(false, op(0xF2), op(0x0F, 0xD6), m, true, Operand.reg(x), false, 0, 0);
                return Unit.of(b, toXmm ? "movq2dq xmm" + x + ",mm" + m : "movdq2q mm" + m + ",xmm" + x);
            }
            case 4: { // pextrw r32, mm, imm / pinsrw mm, r32/m16, imm / pmovmskb r32, mm
                int k = rnd.nextInt(3), imm = rnd.nextInt(8), m = rnd.nextInt(8);
                if (k == 0) {
                    int d = g.dest(32);
                    return Unit.of(modrm(false, NONE, op(0x0F, 0xC5), d, true, Operand.reg(m), false, imm & 3, 1), "pextrw " + Regs.name(d, 32) + ",mm" + m + "," + (imm & 3));
                }
                if (k == 1) {
                    Operand s = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(rnd.nextInt(16));
                    return Unit.of(modrm(false, NONE, op(0x0F, 0xC4), m, true, s, false, imm & 3, 1), "pinsrw mm" + m + "," + s.text(16) + "," + (imm & 3));
                }
                int d = g.dest(32);
                return Unit.of(modrm(false, NONE, op(0x0F, 0xD7), d, true, Operand.reg(m), false, 0, 0), "pmovmskb " + Regs.name(d, 32) + ",mm" + m);
            }
            case 5:
                return Unit.of(op1(0x0F, 0x77), "emms");
            default: {
                Form f = MM_MM[rnd.nextInt(MM_MM.length)];
                int d = mm();
                Operand s = rnd.nextInt(3) == 0 ? g.scratch() : Operand.reg(mm());
                int imm = f.imm == 0 ? 0 : rnd.nextInt(f.imm);
                int[] opc = new int[f.opcode.length + 1];
                opc[0] = 0x0F;
                System.arraycopy(f.opcode, 0, opc, 1, f.opcode.length);
                byte[] b = modrm(false, NONE, opc, d, true, s, false, imm, f.imm == 0 ? 0 : 1);
                return Unit.of(b, f.name + " mm" + (d & 7) + "," + (s.memory() ? s.text(64) : "mm" + (s.reg() & 7)) + (f.imm == 0 ? "" : "," + imm));
            }
        }
    }

    private static byte[] op1(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }
}
