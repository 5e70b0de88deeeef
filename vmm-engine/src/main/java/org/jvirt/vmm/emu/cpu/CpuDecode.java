package org.jvirt.vmm.emu.cpu;

import static org.jvirt.vmm.emu.cpu.CpuState.*;

/**
 * Decodes one instruction into {@link #in}: prefixes, REX, opcode map, ModRM/SIB/displacement
 * (16-bit forms, 32/64-bit forms, RIP-relative) and immediates, from small tables.
 */
abstract class CpuDecode extends CpuCore {
    // immediate kinds
    static final byte I_NONE = 0, I_B = 1, I_W = 2, I_Z = 3, I_V = 4, I_ENTER = 5, I_FAR = 6, I_MOFFS = 7, I_GRP3 = 8;
    static final boolean[] MODRM1 = new boolean[256], MODRM0F = new boolean[256];
    static final byte[] IMM1 = new byte[256], IMM0F = new byte[256];

    static {
        for (int row = 0; row < 4; row++) {
            for (int col : new int[]{0, 8}) {
                int b = row * 16 + col;
                for (int k = 0; k < 4; k++) MODRM1[b + k] = true;
                IMM1[b + 4] = I_B;
                IMM1[b + 5] = I_Z;
            }
        }
        for (int b : new int[]{0x62, 0x63, 0x69, 0x6b, 0xc0, 0xc1, 0xc4, 0xc5, 0xc6, 0xc7, 0xd0, 0xd1, 0xd2, 0xd3, 0xf6, 0xf7, 0xfe, 0xff})
            MODRM1[b] = true;
        for (int b = 0x80; b <= 0x8f; b++) MODRM1[b] = true;
        for (int b = 0xd8; b <= 0xdf; b++) MODRM1[b] = true;
        for (int b : new int[]{0x6a, 0x6b, 0x80, 0x82, 0x83, 0xa8, 0xc0, 0xc1, 0xc6, 0xcd, 0xd4, 0xd5, 0xeb}) IMM1[b] = I_B;
        for (int b = 0x70; b <= 0x7f; b++) IMM1[b] = I_B;
        for (int b = 0xb0; b <= 0xb7; b++) IMM1[b] = I_B;
        for (int b = 0xe0; b <= 0xe7; b++) IMM1[b] = I_B;
        for (int b : new int[]{0x68, 0x69, 0x81, 0xa9, 0xc7, 0xe8, 0xe9}) IMM1[b] = I_Z;
        for (int b = 0xb8; b <= 0xbf; b++) IMM1[b] = I_V;
        IMM1[0xc2] = I_W;
        IMM1[0xca] = I_W;
        IMM1[0xc8] = I_ENTER;
        IMM1[0x9a] = I_FAR;
        IMM1[0xea] = I_FAR;
        for (int b = 0xa0; b <= 0xa3; b++) IMM1[b] = I_MOFFS;
        IMM1[0xf6] = I_GRP3;
        IMM1[0xf7] = I_GRP3;

        java.util.Arrays.fill(MODRM0F, true);
        for (int b : new int[]{0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0e, 0x0f, 0x30, 0x31, 0x32, 0x33, 0x34,
                0x35, 0x36, 0x37, 0x77, 0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa}) MODRM0F[b] = false;
        for (int b = 0x80; b <= 0x8f; b++) { MODRM0F[b] = false; IMM0F[b] = I_Z; }
        for (int b = 0xc8; b <= 0xcf; b++) MODRM0F[b] = false;
        for (int b : new int[]{0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6}) IMM0F[b] = I_B;
    }

    CpuDecode(CpuState s, PhysicalBus b, CpuProfile p) { super(s, b, p); }

    final void decode() {
        Insn d = in;
        beginFetch();
        d.startRip = st.rip;
        boolean m64 = mode64;
        boolean def32 = !m64 && st.seg[CS].db;
        boolean is286 = profile.is286();
        int os = def32 || m64 ? 4 : 2, as = m64 ? 8 : def32 ? 4 : 2;
        d.segOverride = -1;
        d.lock = false;
        d.rep = 0;
        d.ssePrefix = 0;
        int rex = 0, count = 0, b;
        prefixes:
        for (;;) {
            b = fetch8();
            if (++count > 15) throw CpuFault.gp0();
            switch (b) {
                case 0x26, 0x2e, 0x36, 0x3e -> { if (!m64) d.segOverride = (b >> 3) & 3; }
                case 0x64, 0x65 -> { if (is286) break prefixes; d.segOverride = b == 0x64 ? FS : GS; }
                case 0x66 -> { if (is286) break prefixes; os = def32 || m64 ? 2 : 4; d.ssePrefix = ExtensionUnit.PREFIX_66; }
                case 0x67 -> { if (is286) break prefixes; as = m64 ? 4 : def32 ? 2 : 4; }
                case 0xf0 -> d.lock = true;
                case 0xf1 -> { if (!is286) break prefixes; d.lock = true; }
                case 0xf2 -> { d.rep = 0xf2; d.ssePrefix = ExtensionUnit.PREFIX_F2; }
                case 0xf3 -> { d.rep = 0xf3; d.ssePrefix = ExtensionUnit.PREFIX_F3; }
                default -> {
                    if (m64 && (b & 0xf0) == 0x40) { rex = b; continue; }
                    break prefixes;
                }
            }
            rex = 0; // a REX prefix counts only right before the opcode
        }
        d.rex = rex;
        if ((rex & 8) != 0) os = 8;
        d.opSize = os;
        d.addrSize = as;
        int op;
        boolean modrm;
        byte immKind;
        if (b == 0x0f) {
            int b2 = fetch8();
            if (b2 == 0x38 || b2 == 0x3a) {
                op = (b2 == 0x38 ? 0x200 : 0x300) | fetch8();
                modrm = true;
                immKind = b2 == 0x3a ? I_B : I_NONE;
            } else {
                op = 0x100 | b2;
                modrm = MODRM0F[b2];
                immKind = IMM0F[b2];
            }
        } else {
            op = b;
            modrm = MODRM1[b];
            immKind = IMM1[b];
        }
        d.op = op;
        d.hasModrm = modrm;
        d.mem = false;
        d.eaValid = false;
        if (modrm) decodeModrm(d, rex, as, m64, op >= 0x120 && op <= 0x123);
        switch (immKind) {
            case I_B -> d.imm = fetch8();
            case I_W -> d.imm = fetch(2);
            case I_Z -> d.imm = fetch(os == 2 ? 2 : 4);
            case I_V -> d.imm = fetch(os);
            case I_ENTER -> { d.imm = fetch(2); d.imm2 = fetch8(); }
            case I_FAR -> { d.imm = fetch(os == 2 ? 2 : 4); d.imm2 = fetch(2); }
            case I_MOFFS -> d.imm = fetch(as);
            case I_GRP3 -> { if ((d.modrm & 0x38) < 0x10) d.imm = fetch(op == 0xf6 ? 1 : os == 2 ? 2 : 4); }
            default -> { }
        }
        d.nextRip = fetchIp;
        if (fetchCount > (is286 ? 10 : 15)) throw CpuFault.gp0(); // longer than the CPU's maximum
        d.length = count; // prefixes + opcode; informative only
    }

    /** registerOnly: MOV to/from CRn/DRn ignore the mod field and always name a register. */
    private void decodeModrm(Insn d, int rex, int as, boolean m64, boolean registerOnly) {
        int m = fetch8();
        d.modrm = m;
        int mod = registerOnly ? 3 : m >> 6, rm = m & 7;
        d.mod = mod;
        d.reg = ((m >> 3) & 7) | ((rex & 4) << 1);
        d.rm = rm | ((rex & 1) << 3);
        if (mod == 3) return;
        d.mem = true;
        d.ripRelative = false;
        d.index = -1;
        d.scale = 0;
        d.defaultSeg = DS;
        long disp = 0;
        if (as == 2) {
            switch (rm) {
                case 0 -> { d.base = RBX; d.index = RSI; }
                case 1 -> { d.base = RBX; d.index = RDI; }
                case 2 -> { d.base = RBP; d.index = RSI; d.defaultSeg = SS; }
                case 3 -> { d.base = RBP; d.index = RDI; d.defaultSeg = SS; }
                case 4 -> d.base = RSI;
                case 5 -> d.base = RDI;
                case 6 -> { d.base = RBP; d.defaultSeg = SS; }
                default -> d.base = RBX;
            }
            if (mod == 0 && rm == 6) {
                d.base = -1;
                d.defaultSeg = DS;
                disp = (short) fetch(2);
            } else if (mod == 1) {
                disp = (byte) fetch8();
            } else if (mod == 2) {
                disp = (short) fetch(2);
            }
        } else {
            int base;
            if (rm == 4) {
                int sib = fetch8();
                d.scale = sib >> 6;
                int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
                d.index = idx == 4 ? -1 : idx;
                base = (sib & 7) | ((rex & 1) << 3);
                if ((sib & 7) == 5 && mod == 0) {
                    base = -1;
                    disp = (int) fetch(4);
                }
            } else if (rm == 5 && mod == 0) {
                base = -1;
                disp = (int) fetch(4);
                d.ripRelative = m64;
            } else {
                base = rm | ((rex & 1) << 3);
            }
            d.base = base;
            if (base == RSP || base == RBP) d.defaultSeg = SS;
            if (mod == 1) disp = (byte) fetch8();
            else if (mod == 2) disp = (int) fetch(4);
        }
        d.disp = disp;
    }

    /** The memory operand's offset (address-size wrapped), computed once per instruction. */
    final long offset() {
        Insn d = in;
        if (!d.eaValid) {
            long a = d.disp;
            if (d.ripRelative) a += d.nextRip;
            if (d.base >= 0) a += r[d.base];
            if (d.index >= 0) a += r[d.index] << d.scale;
            d.eaOffset = a & addrMask();
            d.eaValid = true;
        }
        return d.eaOffset;
    }
}
