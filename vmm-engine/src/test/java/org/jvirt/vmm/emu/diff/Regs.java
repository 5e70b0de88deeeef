package org.jvirt.vmm.emu.diff;

/** Register names by encoding number and width. */
final class Regs {
    private Regs() { }

    static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7, R15 = 15;
    private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "ah", "ch", "dh", "bh"};

    static String name(int r, int width) {
        if (width == 128) return "xmm" + r;
        if (r >= 16) return R8[r - 8];
        if (r >= 8) return "r" + r + switch (width) { case 8 -> "b"; case 16 -> "w"; case 32 -> "d"; default -> ""; };
        return switch (width) { case 8 -> R8[r]; case 16 -> R16[r]; case 32 -> R32[r]; default -> R64[r]; };
    }

    /** GPR names in encoding order. */
    static String name64(int r) { return name(r, 64); }
}
