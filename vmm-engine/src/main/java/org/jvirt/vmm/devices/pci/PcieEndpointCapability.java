package org.jvirt.vmm.devices.pci;

/**
 * QEMU 7.2's pcie_endpoint_cap_init for a function on a PCI Express root bus (the q35): a version
 * 2 PCI Express capability of a root complex integrated endpoint, with config space past it
 * writable as QEMU leaves it.
 */
public final class PcieEndpointCapability {
    public static final int ID = 0x10, SIZE = 60;

    private PcieEndpointCapability() { }

    /** Inserts the capability at offset at (QEMU's order: before the capabilities added after it). */
    public static void add(PciConfigSpace config, int at) {
        byte[] b = new byte[SIZE - 2], m = new byte[SIZE - 2];
        put(b, 0x02, 2, 0x0092);      // version 2, root complex integrated endpoint
        put(b, 0x04, 4, 0x0000_8000); // device capabilities: role-based error reporting
        put(b, 0x0C, 4, 0x0000_0411); // link capabilities: L0s, x1, 2.5 GT/s
        put(b, 0x12, 2, 0x0011);      // link status: x1, 2.5 GT/s
        put(b, 0x24, 4, 0x0030_0000); // device capabilities 2: extended fmt field, end-end TLP prefix
        put(m, 0x28, 2, 0x8000);      // device control 2: end-end TLP prefix blocking
        config.insertCapability(at, ID, b, m);
        config.allowWrites(at + SIZE, 0x100 - (at + SIZE));
    }

    private static void put(byte[] b, int capOffset, int len, int v) {
        for (int i = 0; i < len; i++) b[capOffset - 2 + i] = (byte) (v >>> (8 * i));
    }
}
