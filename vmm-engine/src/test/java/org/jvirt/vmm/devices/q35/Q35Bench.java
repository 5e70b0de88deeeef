package org.jvirt.vmm.devices.q35;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.jvirt.vmm.testutil.RecordingInterruptLine;

/**
 * A q35 bus 0 as PcBoard builds it, without a machine: the chipset, the PM block behind the
 * LPC, the host bridge at 0xCF8; the test's accesses play the guest.
 */
final class Q35Bench {
    final IoBus pio = new IoBus("pio"), mmio = new IoBus("mmio");
    final RecordingInterruptLine[] gsis = new RecordingInterruptLine[24];
    final AcpiPm pm;
    final Q35Chipset chipset;
    final PciHostBridge pci;

    Q35Bench() {
        for (int i = 0; i < gsis.length; i++) gsis[i] = new RecordingInterruptLine();
        pm = new AcpiPm(gsis[9], () -> { });
        chipset = new Q35Chipset(mmio, pio, new MovableRange(pio, AcpiPm.LENGTH, pm));
        pci = new PciHostBridge(mmio, pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, g -> gsis[g], chipset.hostBridge(), chipset.routing());
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, pci);
        chipset.attach(pci);
    }

    long cfgRead(int bus, int slot, int fn, int reg, int size) {
        pio.write(0xCF8, 4, 0x8000_0000L | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
        return pio.read(0xCFC + (reg & 3), size);
    }

    void cfgWrite(int bus, int slot, int fn, int reg, int size, long value) {
        pio.write(0xCF8, 4, 0x8000_0000L | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
        pio.write(0xCFC + (reg & 3), size, value);
    }

    static long ecam(long base, int bus, int slot, int fn, int reg) {
        return base + ((long) bus << 20 | slot << 15 | fn << 12 | reg);
    }
}
