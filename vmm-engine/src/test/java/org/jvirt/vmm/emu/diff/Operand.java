package org.jvirt.vmm.emu.diff;

/**
 * A ModRM r/m operand: a register (0..15 in encoding order; for byte operands 16..19 are
 * AH, CH, DH, BH) or memory [base + index*scale + disp] (index -1 for none). Generated memory
 * accesses always use base r15, which points into the scratch data page.
 */
record Operand(boolean memory, int reg, int base, int index, int scale, int disp, boolean addr32, int segment) {
    static final int R15 = 15, FS = 0x64, GS = 0x65, RIP = -2;

    static Operand reg(int r) { return new Operand(false, r, -1, -1, 1, 0, false, 0); }

    static Operand scratch(int disp) { return new Operand(true, -1, R15, -1, 1, disp, false, 0); }

    static Operand mem(int base, int index, int scale, int disp, boolean addr32) {
        return new Operand(true, -1, base, index, scale, disp, addr32, 0);
    }

    /** [rip+disp32]. */
    static Operand ripRelative(int disp) { return new Operand(true, -1, RIP, -1, 1, disp, false, 0); }

    /** seg:[disp32] with no base register (FS or GS, whose bases point into the scratch page). */
    static Operand absolute(int segment, int disp) { return new Operand(true, -1, -1, -1, 1, disp, false, segment); }

    /** True for the byte registers AH..BH, which no instruction with a REX prefix can name. */
    boolean highByte() { return !memory && reg >= 16; }

    /** The register number as encoded (AH..BH are 4..7). */
    int code() { return highByte() ? reg - 12 : reg; }

    String text(int width) {
        if (!memory) return Regs.name(reg, width);
        StringBuilder b = new StringBuilder(switch (width) {
            case 8 -> "byte ["; case 16 -> "word ["; case 32 -> "dword ["; case 64 -> "qword ["; case 128 -> "xmmword [";
            default -> "[";
        });
        if (segment != 0) b.append(segment == FS ? "fs:" : "gs:");
        int aw = addr32 ? 32 : 64;
        if (base == RIP) b.append("rip");
        if (base >= 0) b.append(Regs.name(base, aw));
        if (index >= 0) b.append(base >= 0 ? "+" : "").append(Regs.name(index, aw)).append('*').append(scale);
        if (disp != 0 || (base == -1 && index < 0)) b.append(disp < 0 ? "-" : "+").append(String.format("0x%x", Math.abs((long) disp)));
        return b.append(']').toString();
    }
}
