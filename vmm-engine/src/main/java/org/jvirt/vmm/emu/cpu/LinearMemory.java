package org.jvirt.vmm.emu.cpu;

/**
 * Access by linear address (segmentation already applied; paging applied when on), which the
 * core implements over {@link AddressTranslator} and {@link PhysicalBus}, and the system side
 * uses for descriptor tables, the TSS, and the stack frames of interrupt delivery and far
 * transfers. {@code user} selects user-mode page checks (false for the implicit supervisor
 * accesses of descriptor tables and the TSS). Accesses may cross a page boundary. Page faults
 * come out as {@link CpuFault}.
 */
public interface LinearMemory {
    int read8(long linear, boolean user);
    int read16(long linear, boolean user);
    int read32(long linear, boolean user);
    long read64(long linear, boolean user);

    void write8(long linear, int value, boolean user);
    void write16(long linear, int value, boolean user);
    void write32(long linear, int value, boolean user);
    void write64(long linear, long value, boolean user);
}
