package org.jvirt.vmm.emu.diff;

import java.io.ByteArrayOutputStream;

/** Encodes x86-64 instructions: legacy prefixes, REX, opcode, ModRM/SIB/displacement, immediate. */
final class Encoder {
    private Encoder() { }

    /**
     * Encodes an instruction with a ModRM byte.
     * @param rexW  whether REX.W is set (64-bit operand size)
     * @param prefixes legacy prefixes (0x66, 0xF3, ...) in order
     * @param opcode opcode bytes
     * @param reg the reg field: a register number when regIsReg (16..19 = AH..BH), else an opcode digit
     * @param rm the r/m operand
     * @param byteRegs whether register operands are byte registers (SPL..DIL then need a REX prefix)
     * @param imm immediate value, immBytes its size (0 for none)
     * @return the bytes, or null when the operands cannot be encoded together (AH..BH with a REX prefix)
     */
    static byte[] modrm(boolean rexW, int[] prefixes, int[] opcode, int reg, boolean regIsReg, Operand rm, boolean byteRegs,
                        long imm, int immBytes) {
        return modrm(rexW, prefixes, opcode, reg, regIsReg, byteRegs, rm, byteRegs, imm, immBytes);
    }

    /** As above, with separate byte-register flags for the reg field and the r/m operand (MOVZX r32, r/m8). */
    static byte[] modrm(boolean rexW, int[] prefixes, int[] opcode, int reg, boolean regIsReg, boolean regByte, Operand rm,
                        boolean rmByte, long imm, int immBytes) {
        boolean high = (regIsReg && reg >= 16) || rm.highByte();
        int regCode = regIsReg && reg >= 16 ? reg - 12 : reg;
        int rex = 0;
        if (rexW) rex |= 8;
        if (regIsReg && regCode >= 8) rex |= 4;
        if (rm.memory()) {
            if (rm.index() >= 8) rex |= 2;
            if (rm.base() >= 8) rex |= 1;
        } else if (rm.code() >= 8) {
            rex |= 1;
        }
        boolean needRex = rex != 0 || (regIsReg && regByte && regCode >= 4 && regCode < 8 && reg < 16)
                || (!rm.memory() && rmByte && !rm.highByte() && rm.reg() >= 4 && rm.reg() < 8);
        if (needRex && high) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (rm.memory() && rm.segment() != 0) out.write(rm.segment());
        if (rm.memory() && rm.addr32()) out.write(0x67);
        for (int p : prefixes) out.write(p);
        if (needRex) out.write(0x40 | rex);
        for (int o : opcode) out.write(o);
        int r = regCode & 7;
        if (!rm.memory()) {
            out.write(0xC0 | r << 3 | (rm.code() & 7));
        } else {
            writeMemory(out, r, rm);
        }
        writeLe(out, imm, immBytes);
        return out.toByteArray();
    }

    private static void writeMemory(ByteArrayOutputStream out, int r, Operand m) {
        int disp = m.disp();
        if (m.base() == Operand.RIP) {
            out.write(r << 3 | 5);
            writeLe(out, disp, 4);
            return;
        }
        boolean needSib = m.index() >= 0 || m.base() < 0 || (m.base() & 7) == 4;
        int baseLow = m.base() < 0 ? 5 : m.base() & 7;
        int mod;
        if (m.base() < 0) mod = 0; // disp32 without base (SIB base=101, mod 00)
        else if (disp == 0 && baseLow != 5) mod = 0;
        else if (disp >= -128 && disp <= 127) mod = 1;
        else mod = 2;
        if (needSib) {
            out.write(mod << 6 | r << 3 | 4);
            int ss = Integer.numberOfTrailingZeros(m.scale());
            int idx = m.index() < 0 ? 4 : m.index() & 7;
            out.write(ss << 6 | idx << 3 | baseLow);
        } else {
            out.write(mod << 6 | r << 3 | baseLow);
        }
        if (m.base() < 0 || mod == 2) writeLe(out, disp, 4);
        else if (mod == 1) out.write(disp);
    }

    /** Encodes an instruction without ModRM: prefixes, optional REX, opcode bytes, immediate. */
    static byte[] plain(int[] prefixes, int rex, int[] opcode, long imm, int immBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int p : prefixes) out.write(p);
        if (rex != 0) out.write(0x40 | rex);
        for (int o : opcode) out.write(o);
        writeLe(out, imm, immBytes);
        return out.toByteArray();
    }

    static void writeLe(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)));
    }

    static final int[] NONE = {};
    static final int[] OSIZE = {0x66};

    static int[] prefixFor(int width) { return width == 16 ? OSIZE : NONE; }

    static int[] op(int... bytes) { return bytes; }
}
