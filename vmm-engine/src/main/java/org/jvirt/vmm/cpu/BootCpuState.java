package org.jvirt.vmm.cpu;

/**
 * The register state a boot protocol hands the boot processor: flat 32-bit protected mode with
 * paging off (PVH) or 64-bit long mode on identity page tables (Linux 64-bit boot protocol).
 * gdtBase/gdtLimit describe the GDT the loader wrote to guest memory; cr3 is used in LONG_64 only.
 */
public record BootCpuState(Mode mode, long rip, long rsp, long rbx, long rsi, long gdtBase, int gdtLimit, long cr3) {

    public enum Mode {
        /** CR0.PE=1, paging off, CS/DS flat 4 GiB (selectors 0x08 code, 0x10 data, 0x18 TSS). */
        PROTECTED_32,
        /** EFER.LME/LMA, CR0.PG, PAE, CS 64-bit (selectors 0x08 code, 0x10 data, 0x18 TSS). */
        LONG_64,
        /** The architectural power-on state, running at the reset vector (CS base 0xFFFF0000, IP 0xFFF0): firmware boot. */
        RESET
    }

    /** The boot processor starting at the reset vector, as a PC's firmware expects. */
    public static BootCpuState resetVector() {
        return new BootCpuState(Mode.RESET, 0xfff0, 0, 0, 0, 0, 0, 0);
    }

    public static final int CODE_SELECTOR = 0x08, DATA_SELECTOR = 0x10, TSS_SELECTOR = 0x18;
}
