package org.jvirt.vmm.emu.cpu;

/**
 * Which CPU the instruction core behaves as. Every difference between the profiles is listed
 * here (and in vmm-engine/README.md, "Emulator CPU profiles"); the 80286 rules come from the
 * SingleStepTests hardware captures:
 * <ul>
 * <li>LOCK: I80286 accepts LOCK on any instruction (and F1 is a LOCK alias); X86_64 raises #UD
 *     for LOCK on anything but a memory-destination read-modify-write instruction, F1 is ICEBP.</li>
 * <li>FLAGS bits 12-15: I80286 in real mode keeps IOPL and NT at 0 (POPF/IRET cannot set them);
 *     X86_64 lets real-mode POPF/IRET set IOPL and NT.</li>
 * <li>Prefixes: I80286 has no 64/65/66/67 prefixes (those bytes are #UD opcodes).</li>
 * <li>0F map: I80286 has only 0F 00-03 and 06 (LOADALL, 0F 05, is not implemented: #UD).</li>
 * <li>Segment registers: I80286 has no FS/GS (MOV to/from Sreg 4-5 is #UD).</li>
 * <li>Stack-segment overrun in real mode: I80286 raises #GP (13), X86_64 #SS (12).</li>
 * <li>Maximum instruction length: 10 bytes on the I80286, 15 on X86_64 (#GP beyond).</li>
 * <li>String instructions that fault: the I80286 advances each pointer as soon as its access is
 *     attempted, reads ES:DI before DS:SI in CMPS, and under REP leaves CX decremented by an
 *     amount that depends on the access (see CpuOps.string286); X86_64 leaves SI/DI/CX as they
 *     were before the faulting iteration.</li>
 * <li>SGDT/SIDT with a 16-bit operand store 0xFF as the base's top byte on the 80286, 0 later.</li>
 * <li>SMSW on the 80286 returns the MSW with bits 4-15 set.</li>
 * <li>TZCNT/LZCNT (F3 0F BC/BD) exist only on X86_64 (the 80286 has no 0F BC/BD at all).</li>
 * <li>Common to both: PUSH SP pushes the value before the push; shift and rotate counts are
 *     masked to 5 bits (6 for 64-bit operands); divide errors are faults that push the faulting
 *     instruction's address; a word access at offset 0xFFFF of a 64 KiB segment faults.</li>
 * </ul>
 */
public enum CpuProfile {
    /** The 80286 in real mode, as the SingleStepTests hardware captures show it. */
    I80286,
    /** A modern x86-64 CPU. */
    X86_64;

    boolean is286() { return this == I80286; }
}
