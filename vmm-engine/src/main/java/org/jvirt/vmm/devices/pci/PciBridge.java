package org.jvirt.vmm.devices.pci;

/**
 * A PCI-to-PCI bridge function (type-1 header, e.g. a PCIe root port) plugged on bus 0: the
 * host bridge forwards configuration cycles for its secondary bus number to the functions
 * plugged behind it ({@link PciHostBridge#addFunction(PciBridge, int, int, PciDevice)}), and
 * their INTx pins reach the bridge's slot swizzled (PCI-to-PCI bridge spec 9.1).
 */
public interface PciBridge extends PciDevice {
    /** Type-1 header registers. */
    int PRIMARY_BUS = 0x18, SECONDARY_BUS = 0x19, SUBORDINATE_BUS = 0x1A, SECONDARY_LATENCY = 0x1B;
    int IO_BASE = 0x1C, IO_LIMIT = 0x1D, SECONDARY_STATUS = 0x1E, MEMORY_BASE = 0x20, MEMORY_LIMIT = 0x22;
    int PREF_MEMORY_BASE = 0x24, PREF_MEMORY_LIMIT = 0x26, PREF_BASE_UPPER = 0x28, PREF_LIMIT_UPPER = 0x2C;
    int IO_BASE_UPPER = 0x30, IO_LIMIT_UPPER = 0x32, BRIDGE_CONTROL = 0x3E;

    /** Device numbers its secondary bus has: 1 behind a PCIe port (device 0 only), 32 on a PCI bus. */
    int secondarySlots();

    /** A function was plugged behind the bridge (a PCIe port's link and slot status show it). */
    default void secondaryPopulated() { }

    default int secondaryBus() { return config().read(SECONDARY_BUS, 1); }

    default int subordinateBus() { return config().read(SUBORDINATE_BUS, 1); }

    /** The memory window [base, limit] as the registers give it (empty when base > limit). */
    default long memoryBase() { return (long) (config().read(MEMORY_BASE, 2) & 0xFFF0) << 16; }

    default long memoryLimit() { return (long) (config().read(MEMORY_LIMIT, 2) & 0xFFF0) << 16 | 0xF_FFFF; }

    /** The I/O window [base, limit] (16-bit decoding). */
    default int ioBase() { return (config().read(IO_BASE, 1) & 0xF0) << 8; }

    default int ioLimit() { return (config().read(IO_LIMIT, 1) & 0xF0) << 8 | 0xFFF; }
}
