package org.jvirt.vmm.emu.diff;

/** The six arithmetic flags (RFLAGS bits) and which of them each condition code reads. */
final class Flags {
    private Flags() { }

    static final int CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, DF = 0x400;
    static final int ALL = CF | PF | AF | ZF | SF | OF;
    /**
     * The RFLAGS bits compared: bits 0..21 but RF (bookkeeping around the exit) and IOPL, which
     * KVM on PVM (this project's CI host) virtualizes: the guest runs with IOPL 3 (its OUT works)
     * but KVM_GET_REGS reports IOPL 0. No generated instruction can change IOPL at CPL3.
     */
    static final long COMPARED = 0x3FFFFFL & ~0x10000L & ~0x3000L;

    /** Flags read by condition code cc (the low nibble of Jcc/SETcc/CMOVcc). */
    static int readBy(int cc) {
        return switch (cc >> 1) {
            case 0 -> OF;
            case 1 -> CF;
            case 2 -> ZF;
            case 3 -> CF | ZF;
            case 4 -> SF;
            case 5 -> PF;
            case 6 -> SF | OF;
            default -> ZF | SF | OF;
        };
    }

    static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};

    static String names(int mask) {
        StringBuilder b = new StringBuilder();
        String[] n = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "", "", "DF", "OF"};
        for (int i = 0; i < n.length; i++) if ((mask & (1 << i)) != 0 && !n[i].isEmpty()) b.append(b.length() == 0 ? "" : ",").append(n[i]);
        return b.length() == 0 ? "-" : b.toString();
    }
}
