package org.jvirt.vmm.memory;

import java.util.List;

/**
 * Where guest RAM goes on a PC: below the 32-bit PCI hole [0xC0000000, 4 GiB), and whatever
 * does not fit there from 4 GiB up, as QEMU's pc machine and Firecracker place it.
 */
public final class X86MemoryLayout {
    private X86MemoryLayout() { }

    /** Start of the 32-bit MMIO hole (PCI BARs, IOAPIC, LAPIC, ...). */
    public static final long PCI_HOLE_START = 0xC000_0000L;
    public static final long PCI_HOLE_END = 0x1_0000_0000L;
    /** Legacy area not usable as RAM: EBDA, VGA, option ROMs, BIOS. */
    public static final long EBDA_START = 0x9_FC00L;
    public static final long HIGH_MEMORY_START = 0x10_0000L;

    /** The RAM ranges of a guest with ramBytes of memory (a positive multiple of 4 KiB). */
    public static List<RamRange> ramRanges(long ramBytes) {
        if (ramBytes <= 0 || ramBytes % MmapRegion.PAGE != 0)
            throw new IllegalArgumentException("guest memory must be a positive multiple of 4 KiB: " + ramBytes);
        if (ramBytes <= PCI_HOLE_START) return List.of(new RamRange(0, ramBytes));
        return List.of(new RamRange(0, PCI_HOLE_START), new RamRange(PCI_HOLE_END, ramBytes - PCI_HOLE_START));
    }
}
