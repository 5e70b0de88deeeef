package org.jvirt.vmm.devices.ide;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.pci.ConfigSpaceState;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciConfigSpace.BarType;

/**
 * The PCI face of the PIIX3 IDE controller (8086:7010, class 01:01, programming interface 0x80:
 * both channels in compatibility mode at the legacy ports and IRQs 14/15, bus-master capable).
 * On a PCI machine SeaBIOS looks for IDE only through this function (its ISA-port fallback is for
 * machines without PCI), and Linux's ata_piix binds to it.
 *
 * <p>BAR4 holds the bus-master DMA registers, 16 ports: the primary channel's
 * {@link BusMasterDma} at 0, the secondary's at 8 (QEMU's piix3-ide has them too; SeaBIOS and
 * Linux's ata_piix use them for DMA). A function given channels without a bus master has no
 * BAR4, and firmware and Linux use PIO. The IDE timing registers
 * (0x40 and 0x42) read with their decode-enable bit set, the state SeaBIOS's PCI setup writes
 * and ata_piix checks before it uses a channel; their timing fields are not modelled.
 */
public final class Piix3IdeFunction implements ConfigSpaceState {

    public static final int VENDOR_ID = 0x8086, DEVICE_ID = 0x7010, CLASS_CODE = 0x01_01_80;
    /** IDETIM of the primary (0x40) and secondary (0x42) channel; bit 15 enables the channel's decode. */
    static final int IDETIM_PRIMARY = 0x40, IDETIM_SECONDARY = 0x42, IDETIM_DECODE_ENABLE = 0x8000;

    public static final int BUS_MASTER_BAR = 4, BUS_MASTER_SIZE = 16;

    private final PciConfigSpace config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, CLASS_CODE, 0x00);
    private final IoDevice busMaster;

    /** The function of two channels; with their bus masters (both have one, or neither) it has BAR4. */
    public Piix3IdeFunction(IdeChannel primary, IdeChannel secondary) {
        config.put16(IDETIM_PRIMARY, IDETIM_DECODE_ENABLE);
        config.put16(IDETIM_SECONDARY, IDETIM_DECODE_ENABLE);
        IoDevice first = primary.busMaster(), second = secondary.busMaster();
        if ((first == null) != (second == null)) throw new IllegalArgumentException("one channel has a bus master, the other none");
        if (first == null) {
            busMaster = null;
            return;
        }
        config.defineBar(BUS_MASTER_BAR, BarType.IO, BUS_MASTER_SIZE);
        java.util.function.BooleanSupplier enabled = () -> (config.command() & PciConfigSpace.CMD_BUS_MASTER) != 0;
        primary.busMasterEnabledWhen(enabled);
        secondary.busMasterEnabledWhen(enabled);
        busMaster = new IoDevice() {
            @Override public long read(long offset, int size) {
                return offset < BusMasterDma.PORTS ? first.read(offset, size) : second.read(offset - BusMasterDma.PORTS, size);
            }
            @Override public void write(long offset, int size, long value) {
                if (offset < BusMasterDma.PORTS) first.write(offset, size, value);
                else second.write(offset - BusMasterDma.PORTS, size, value);
            }
        };
    }

    @Override public PciConfigSpace config() { return config; }

    @Override public IoDevice bar(int index) { return index == BUS_MASTER_BAR ? busMaster : null; }
}
