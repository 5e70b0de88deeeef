package org.jvirt.vmm.devices.piix;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.pci.ConfigSpaceState;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciHostBridge;

/**
 * QEMU's PIIX3 PCI-to-ISA bridge at 00:01.0 (8086:7000, class 06:01): function 0 of the PIIX
 * slot. Its device-specific registers are plain storage (QEMU's too, apart from routing): the
 * PIRQ route control registers 0x60-0x63 (reset 0x80, routing disabled) that OVMF's
 * PlatformBootManagerLib writes (IRQ 10/11) before it fills in the functions' Interrupt Line.
 * jvirt's INTx stay wired to the IOAPIC as its ACPI tables say (PciIrqRouting), so the routes are
 * stored, not followed.
 */
public final class Piix3IsaBridge implements ConfigSpaceState {
    public static final int VENDOR_ID = 0x8086, DEVICE_ID = 0x7000, CLASS_CODE = 0x06_01_00;
    public static final int PIRQRC = 0x60, PIRQ_COUNT = 4, PIRQ_DISABLED = 0x80;

    private final PciConfigSpace config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, CLASS_CODE, 0x00);

    public Piix3IsaBridge() {
        config.setSubsystem(0x1af4, 0x1100); // QEMU's default subsystem for its PCI devices
        config.allowWrites(0x40, PciHostBridge.CONFIG_SIZE - 0x40);
        for (int i = 0; i < PIRQ_COUNT; i++) config.put16(PIRQRC + i, (config.get16(PIRQRC + i) & 0xff00) | PIRQ_DISABLED);
    }

    @Override public PciConfigSpace config() { return config; }

    @Override public IoDevice bar(int index) { return null; }
}
