package org.jvirt.vmm.emu.cpu;

/**
 * The system side of the CPU, which the instruction core calls for everything that depends on
 * the operating mode's protection rules: segment loads, interrupt and exception delivery,
 * far transfers, and the system instructions. Real mode is one implementation; the full one
 * (protected, virtual-8086 and long mode) another. Every method works on the shared
 * {@link CpuState}; on a protection violation it throws {@link CpuFault} with RIP still at the
 * start of the instruction (the core restores it), so the instruction has no effect.
 *
 * <p>Operand sizes are in bytes (2, 4 or 8). {@code nextRip} is the address of the following
 * instruction (what a CALL or INT pushes).
 */
public interface SystemUnit {
    /** Kinds of event for {@link #deliver}. */
    int HARDWARE_INTERRUPT = 0, EXCEPTION = 1, SOFTWARE_INTERRUPT = 2, NMI = 3;

    /** MOV/POP to a segment register, LDS/LES/LFS/LGS/LSS (not CS: far transfers load CS). */
    void loadSegment(int segIndex, int selector);

    /**
     * Delivers vector through the IVT/IDT. For EXCEPTION, returnRip is the faulting instruction's
     * address (faults) or the next one (traps); hasError/errorCode as the exception defines.
     * SOFTWARE_INTERRUPT (INT n, INT3, INTO) checks the gate's DPL against CPL.
     */
    void deliver(int vector, int kind, boolean hasError, int errorCode, long returnRip);

    /** IRET/IRETD/IRETQ with the given operand size. */
    void interruptReturn(int operandSize);

    /** JMP ptr16:16/32 or JMP m16:16/32/64. */
    void farJump(int selector, long offset, int operandSize, long nextRip);

    /** CALL ptr16:16/32 or CALL m16:16/32/64. */
    void farCall(int selector, long offset, int operandSize, long nextRip);

    /** RETF [imm16]: pops CS:IP (and SS:SP on a return to an outer level), then releases popBytes. */
    void farReturn(int operandSize, int popBytes);

    /**
     * The 0F 00 group (SLDT, STR, LLDT, LTR, VERR, VERW), the 0F 01 group (SGDT, SIDT, LGDT,
     * LIDT, SMSW, LMSW, INVLPG, SWAPGS, RDTSCP), LAR, LSL, CLTS and ARPL. operand is the source
     * value (a selector, the LMSW word) or, for forms that address memory (SGDT, SIDT, LGDT,
     * LIDT, INVLPG), the linear address with segmentation already applied by the core. The
     * result is what the core stores to the destination (SLDT, STR, SMSW, LAR, LSL, ARPL);
     * flags the instruction sets (ZF of LAR/LSL/VERR/VERW/ARPL) are set through CpuState.
     */
    long systemInstruction(SystemOp op, long operand, int operandSize);

    /** MOV to CR0/CR2/CR3/CR4/CR8 (checks reserved bits, flushes the TLB as needed, mode switches). */
    void writeControlRegister(int cr, long value);

    long readControlRegister(int cr);

    void writeDebugRegister(int dr, long value);

    long readDebugRegister(int dr);

    /** RDMSR: #GP(0) for an unknown MSR. */
    long readMsr(int index);

    /** WRMSR: #GP(0) for an unknown MSR or a reserved bit. */
    void writeMsr(int index, long value);

    /** RDTSC's value: the TSC, readable at any CPL (the caller checks CR4.TSD), unlike RDMSR. */
    default long timeStampCounter() { return readMsr(0x10); }

    /** CPUID for leaf EAX, subleaf ECX: fills EAX, EBX, ECX, EDX of {@code out}. */
    void cpuid(int leaf, int subleaf, int[] out);

    /** SYSCALL, SYSRET, SYSENTER, SYSEXIT with the given operand size (SYSRET/SYSEXIT: 4 or 8). */
    void fastSystemCall(SystemOp op, int operandSize, long nextRip);

    /** Checks that an I/O access to port..port+size-1 is allowed (IOPL, then the TSS bitmap); #GP otherwise. */
    void checkIoPermission(int port, int size);

    /** The system instructions {@link #systemInstruction} and {@link #fastSystemCall} take. */
    enum SystemOp {
        SLDT, STR, LLDT, LTR, VERR, VERW, SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, INVLPG, SWAPGS, RDTSCP, LAR, LSL,
        CLTS, ARPL, SYSCALL, SYSRET, SYSENTER, SYSEXIT
    }
}
