package org.jvirt.vmm.memory;

import java.util.List;

/**
 * Where guest RAM goes on a PC: below the 32-bit PCI hole [0xC0000000, 4 GiB), and whatever
 * does not fit there from 4 GiB up, as QEMU's pc machine and Firecracker place it; on a q35
 * below the ECAM window ({@link #q35RamRanges}).
 */
public final class X86MemoryLayout {
    private X86MemoryLayout() { }

    /** Start of the 32-bit MMIO hole (PCI BARs, IOAPIC, LAPIC, ...). */
    public static final long PCI_HOLE_START = 0xC000_0000L;
    public static final long PCI_HOLE_END = 0x1_0000_0000L;
    /** Legacy area not usable as RAM: EBDA, VGA, option ROMs, BIOS. */
    public static final long EBDA_START = 0x9_FC00L;
    public static final long HIGH_MEMORY_START = 0x10_0000L;

    /** Where QEMU's q35 puts its PCIe ECAM window (and so where low RAM must end). */
    public static final long Q35_ECAM_START = 0xB000_0000L;
    /** Low RAM of a q35 whose RAM does not fit below the ECAM window (QEMU's pc_q35_init). */
    public static final long Q35_SPLIT_LOW = 0x8000_0000L;

    /** The RAM ranges of a guest with ramBytes of memory (a positive multiple of 4 KiB). */
    public static List<RamRange> ramRanges(long ramBytes) {
        return split(ramBytes, PCI_HOLE_START);
    }

    /**
     * The RAM ranges of a q35 guest, as QEMU's q35 places them: all below the ECAM window when it
     * fits there, else 2 GiB below 4 GiB and the rest from 4 GiB.
     */
    public static List<RamRange> q35RamRanges(long ramBytes) {
        return split(ramBytes, ramBytes < Q35_ECAM_START ? Q35_ECAM_START : Q35_SPLIT_LOW);
    }

    private static List<RamRange> split(long ramBytes, long lowEnd) {
        if (ramBytes <= 0 || ramBytes % MmapRegion.PAGE != 0)
            throw new IllegalArgumentException("guest memory must be a positive multiple of 4 KiB: " + ramBytes);
        if (ramBytes <= lowEnd) return List.of(new RamRange(0, ramBytes));
        return List.of(new RamRange(0, lowEnd), new RamRange(PCI_HOLE_END, ramBytes - lowEnd));
    }
}
