package org.jvirt.vmm.emu.cpu;

/**
 * An exception the guest CPU raises (#DE, #GP, #PF...), thrown from deep inside an instruction
 * and caught by the CPU loop, which rolls the instruction back (RIP still at its start) and
 * delivers the vector. No stack trace is filled in: this is guest control flow, not a host error.
 */
public final class CpuFault extends RuntimeException {
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10, NP = 11,
            SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19;

    public final int vector;
    public final boolean hasErrorCode;
    public final int errorCode;

    private CpuFault(int vector, boolean hasErrorCode, int errorCode) {
        super(null, null, false, false);
        this.vector = vector;
        this.hasErrorCode = hasErrorCode;
        this.errorCode = errorCode;
    }

    public static CpuFault of(int vector) { return new CpuFault(vector, false, 0); }

    public static CpuFault withError(int vector, int errorCode) { return new CpuFault(vector, true, errorCode); }

    /** #GP(0), the most common one. */
    public static CpuFault gp0() { return new CpuFault(GP, true, 0); }

    /** #PF with its error code; CR2 is set by whoever raises it (the translator). */
    public static CpuFault pageFault(int errorCode) { return new CpuFault(PF, true, errorCode); }

    /** Whether the vector is a contributory one for double-fault rules (#DE, #TS, #NP, #SS, #GP). */
    public boolean contributory() {
        return vector == DE || vector == TS || vector == NP || vector == SS || vector == GP;
    }

    @Override
    public String getMessage() {
        return "vector " + vector + (hasErrorCode ? String.format(" error 0x%x", errorCode) : "");
    }
}
