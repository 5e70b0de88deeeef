package org.jvirt.vmm.emu.cpu;

/**
 * Which CPU the instruction core behaves as. Every difference between the profiles is listed
 * here (and in vmm-engine/README.md, "Emulator CPU profiles"):
 * <ul>
 * <li>LOCK: I80286 accepts LOCK on any instruction; X86_64 raises #UD for LOCK on anything but
 *     a memory-destination read-modify-write instruction.</li>
 * <li>FLAGS bits 12-15: I80286 in real mode keeps IOPL and NT at 0 (POPF/IRET cannot set them,
 *     PUSHF pushes them as 0); X86_64 lets real-mode POPF/IRET set IOPL and NT.</li>
 * <li>Prefixes and opcodes: I80286 has no 64/65/66/67 prefixes (those bytes are #UD), F1 acts
 *     as a LOCK prefix, and only 0F 00/01/02/03/05/06 exist in the 0F map (others #UD);
 *     LOADALL (0F 05) is not implemented (#UD). X86_64: F1 is ICEBP, the full 0F map.</li>
 * <li>SGDT/SIDT with a 16-bit operand store 0xFF as the base's top byte on the 80286 and 0 on later CPUs.</li>
 * <li>SMSW on the 80286 returns the MSW with bits 4-15 set.</li>
 * <li>Common to both (386 and later behave alike here): PUSH SP pushes the value before the
 *     push; shift and rotate counts are masked to 5 bits (6 for 64-bit operands); divide errors
 *     are faults that push the faulting instruction's address; a word access at offset 0xFFFF
 *     faults (#GP, #SS for the stack) instead of wrapping.</li>
 * </ul>
 */
public enum CpuProfile {
    /** The 80286 in real mode, as the SingleStepTests hardware captures show it. */
    I80286,
    /** A modern x86-64 CPU. */
    X86_64;

    boolean is286() { return this == I80286; }
}
