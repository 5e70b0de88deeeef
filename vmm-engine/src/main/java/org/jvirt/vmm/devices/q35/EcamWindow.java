package org.jvirt.vmm.devices.q35;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.pci.PciHostBridge;

/**
 * The PCIe enhanced configuration access window (ECAM, Linux's MMCONFIG): 4 KiB of configuration
 * space per function, at offset bus << 20 | slot << 15 | function << 12 | register. Every access
 * goes through the host bridge's one config path, so it reads and writes what port CF8/CFC does.
 * An 8-byte access is two 4-byte ones.
 */
final class EcamWindow implements IoDevice {
    private volatile PciHostBridge pci;

    void connect(PciHostBridge pci) {
        this.pci = pci;
    }

    @Override
    public long read(long offset, int size) {
        PciHostBridge p = pci;
        if (p == null) return size >= 8 ? -1L : (1L << (size * 8)) - 1;
        if (size == 8) return read(offset, 4) | read(offset + 4, 4) << 32;
        return p.configRead(bus(offset), slot(offset), function(offset), register(offset), size);
    }

    @Override
    public void write(long offset, int size, long value) {
        PciHostBridge p = pci;
        if (p == null) return;
        if (size == 8) {
            write(offset, 4, value & 0xFFFF_FFFFL);
            write(offset + 4, 4, value >>> 32);
            return;
        }
        p.configWrite(bus(offset), slot(offset), function(offset), register(offset), size, value);
    }

    static int bus(long offset) { return (int) (offset >>> 20) & 0xFF; }
    static int slot(long offset) { return (int) (offset >>> 15) & 0x1F; }
    static int function(long offset) { return (int) (offset >>> 12) & 0x7; }
    static int register(long offset) { return (int) offset & 0xFFF; }
}
