package org.jvirt.vmm.devices.ide;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;

/**
 * The PCI face of the PIIX3 IDE controller (8086:7010, class 01:01, programming interface 0x80:
 * both channels in compatibility mode at the legacy ports and IRQs 14/15, bus-master capable).
 * On a PCI machine SeaBIOS looks for IDE only through this function (its ISA-port fallback is for
 * machines without PCI), and Linux's ata_piix binds to it.
 *
 * <p>So far it carries no BAR: the bus-master DMA registers (BAR4, 16 ports) come with the DMA
 * step; until then firmware and Linux find BAR4 zero and use PIO. The IDE timing registers
 * (0x40 and 0x42) read with their decode-enable bit set, the state SeaBIOS's PCI setup writes
 * and ata_piix checks before it uses a channel; their timing fields are not modelled.
 */
public final class Piix3IdeFunction implements PciDevice {

    public static final int VENDOR_ID = 0x8086, DEVICE_ID = 0x7010, CLASS_CODE = 0x01_01_80;
    /** IDETIM of the primary (0x40) and secondary (0x42) channel; bit 15 enables the channel's decode. */
    static final int IDETIM_PRIMARY = 0x40, IDETIM_SECONDARY = 0x42, IDETIM_DECODE_ENABLE = 0x8000;

    private final PciConfigSpace config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, CLASS_CODE, 0x00);

    public Piix3IdeFunction() {
        config.put16(IDETIM_PRIMARY, IDETIM_DECODE_ENABLE);
        config.put16(IDETIM_SECONDARY, IDETIM_DECODE_ENABLE);
    }

    @Override public PciConfigSpace config() { return config; }

    @Override public IoDevice bar(int index) { return null; }
}
