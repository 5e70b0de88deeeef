package org.jvirt.vmm.emu.cputest;

/**
 * One test of a MOO file: the instruction, the initial and final register/RAM state, and the
 * exception it raises (if any). Registers are indexed in MOO order (see {@link #REG_NAMES}).
 */
public final class MooTest {
    /** The MOO v1 register order: bit i of a REGS bitmask is REG_NAMES[i]. */
    public static final String[] REG_NAMES = {"ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags"};
    public static final int AX = 0, BX = 1, CX = 2, DX = 3, CS = 4, SS = 5, DS = 6, ES = 7, SP = 8, BP = 9, SI = 10, DI = 11,
            IP = 12, FLAGS = 13;

    public int index;
    public String name = "";
    public byte[] bytes = new byte[0];
    public final int[] initRegs = new int[14];
    public int initMask;
    public final int[] finalRegs = new int[14];
    /** Bit i set: finalRegs[i] is given (the register changed). */
    public int finalMask;
    public int[] initRamAddr = new int[0], finalRamAddr = new int[0];
    public byte[] initRamValue = new byte[0], finalRamValue = new byte[0];
    /** Exception vector raised, or -1; and the physical address of the FLAGS word it pushed. */
    public int exceptionVector = -1;
    public long exceptionFlagAddress = -1;
    public byte[] hash = new byte[0];

    public String hashHex() {
        StringBuilder sb = new StringBuilder();
        for (byte b : hash) sb.append(String.format("%02x", b & 0xff));
        return sb.toString();
    }

    public String bytesHex() {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xff));
        return sb.toString();
    }
}
