package org.jvirt.vmm.devices.pcie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.devices.pci.PciBridge;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.jvirt.vmm.devices.q35.Q35Chipset;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.vmm.testutil.RecordingInterruptLine;

/**
 * The bridge plumbing behind the root ports on a q35 bus: INTx swizzled to the port's slot and
 * routed as the ICH9 routes it, the firmware-less bus numbering and windows (kept across a
 * reset), the one device number behind a PCIe port, the port's state, and the configuration
 * checks for addresses.
 */
class PcieRootPortTest {
    final IoBus pio = new IoBus("pio"), mmio = new IoBus("mmio");
    final RecordingInterruptLine[] gsis = new RecordingInterruptLine[24];
    final Q35Chipset chipset;
    final PciHostBridge pci;

    PcieRootPortTest() {
        for (int i = 0; i < gsis.length; i++) gsis[i] = new RecordingInterruptLine();
        chipset = new Q35Chipset(mmio, pio, new MovableRange(pio, AcpiPm.LENGTH, new AcpiPm(gsis[9], () -> { })));
        pci = new PciHostBridge(mmio, pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, g -> gsis[g], chipset.hostBridge(), chipset.routing());
        chipset.attach(pci);
    }

    /** A function with INTx pin and one 16 KiB memory BAR. */
    static PciDevice endpoint(int pin) {
        PciConfigSpace cfg = new PciConfigSpace(0x1234, 0x5678, 0xff0000, 0);
        cfg.declareInterruptPin(pin);
        cfg.defineBar(0, PciConfigSpace.BarType.MEMORY32, 0x4000);
        IoDevice none = new IoDevice() {
            @Override public long read(long offset, int size) { return 0; }
            @Override public void write(long offset, int size, long value) { }
        };
        return new PciDevice() {
            @Override public PciConfigSpace config() { return cfg; }
            @Override public IoDevice bar(int index) { return none; }
        };
    }

    @Test
    void intxOfADeviceBehindThePortIsSwizzledToThePortsSlot() {
        PcieRootPort port = new PcieRootPort(1, 0x10, (a, d) -> { });
        pci.addFunction(3, 0, port);
        PciDevice a = endpoint(1), b = endpoint(2);
        pci.addFunction(port, 0, 0, a);
        pci.addFunction(port, 0, 1, b);
        // device 0 behind the bridge: its INTx is the bridge's same pin (swizzle by device number 0), routed for slot 3
        int gsiA = chipset.routing().gsi(3, 0), gsiB = chipset.routing().gsi(3, 1);
        assertTrue(gsiA != gsiB);
        a.config().setIntx(true);
        assertTrue(gsis[gsiA].level());
        assertFalse(gsis[gsiB].level());
        a.config().setIntx(false);
        b.config().setIntx(true);
        assertTrue(gsis[gsiB].level());
        assertEquals(gsiB, b.config().read(PciConfigSpace.INTERRUPT_LINE, 1), "the line firmware would write");
    }

    @Test
    void firmwareLessBootsGetBusNumbersAndWindowsInSlotOrderKeptAcrossAReset() {
        PcieRootPort late = new PcieRootPort(2, 0x11, (a, d) -> { }), early = new PcieRootPort(1, 0x10, (a, d) -> { });
        pci.addFunction(2, 1, late);
        pci.addFunction(2, 0, early);
        PciDevice dev = endpoint(1);
        pci.addFunction(late, 0, 0, dev);
        pci.programBridgesAsFirmware();
        assertEquals(0x00_01_01_00, early.config().read(PciBridge.PRIMARY_BUS, 4) & 0xFFFFFF, "02.0 first: bus 1");
        assertEquals(0x00_02_02_00, late.config().read(PciBridge.PRIMARY_BUS, 4) & 0xFFFFFF, "02.1: bus 2");
        long bar = dev.config().barAddress(0);
        assertTrue(late.memoryBase() <= bar && bar + 0x4000 - 1 <= late.memoryLimit(), "the BAR lies in its bridge's window");
        assertTrue(early.memoryBase() > early.memoryLimit(), "an empty port's window stays closed");
        assertEquals(0x5678_1234L, pci.configRead(2, 0, 0, 0, 4));
        assertEquals(0xFFFF_FFFFL, pci.configRead(2, 1, 0, 0, 4), "only device 0 behind a PCIe port");
        assertEquals(0xFFFF_FFFFL, pci.configRead(1, 0, 0, 0, 4), "the empty port's bus");
        pci.configWrite(0, 2, 1, PciBridge.PRIMARY_BUS, 4, 0x0007_0700);
        assertEquals(0x5678_1234L, pci.configRead(7, 0, 0, 0, 4), "renumbered by the guest");
        pci.reset();
        assertEquals(0x5678_1234L, pci.configRead(2, 0, 0, 0, 4), "back to the power-on numbering");
        assertThrows(IllegalArgumentException.class, () -> pci.addFunction(late, 1, 0, endpoint(1)));
    }

    @Test
    void randomConfigurationAndBarAccessesNeverThrowAndLeaveTheIdentity() {
        PcieRootPort a = new PcieRootPort(1, 0x10, (x, d) -> { }), b = new PcieRootPort(2, 0x11, (x, d) -> { });
        pci.addFunction(2, 0, a);
        pci.addFunction(2, 1, b);
        pci.addFunction(a, 0, 0, endpoint(1));
        pci.programBridgesAsFirmware();
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, pci);
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 200_000; i++) {
            int bus = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(3), slot = rnd.nextInt(4) == 0 ? rnd.nextInt(32) : 2 * rnd.nextInt(2);
            int fn = rnd.nextInt(2), size = 1 << rnd.nextInt(3), reg = rnd.nextInt(0x110) & ~(size - 1);
            switch (rnd.nextInt(4)) {
                case 0 -> pci.configRead(bus, slot, fn, reg, size);
                case 1 -> pci.configWrite(bus, slot, fn, reg, size, rnd.nextLong());
                case 2 -> { // the same through CF8/CFC
                    pio.write(0xCF8, 4, 0x8000_0000L | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
                    if (rnd.nextBoolean()) pio.read(0xCFC + (reg & 3), size); else pio.write(0xCFC + (reg & 3), size, rnd.nextLong());
                }
                default -> { // the MSI-X table and PBA in BAR 0
                    IoDevice bar = (rnd.nextBoolean() ? a : b).bar(0);
                    long off = rnd.nextInt(PcieRootPort.MSIX_BAR_SIZE) & ~(size - 1);
                    if (rnd.nextBoolean()) bar.read(off, size); else bar.write(off, size, rnd.nextLong());
                }
            }
        }
        assertEquals(0x000c_1b36L, pci.configRead(0, 2, 0, 0, 4));
        assertEquals(0x0604_00L, pci.configRead(0, 2, 1, 0x08, 4) >>> 8);
        pci.reset();
        assertEquals(0x5678_1234L, pci.configRead(1, 0, 0, 0, 4), "a reset brings the numbering back");
    }

    @Test
    void thePortsStateRoundTrips() throws Exception {
        PcieRootPort port = new PcieRootPort(1, 0x10, (a, d) -> { });
        pci.addFunction(2, 0, port);
        pci.configWrite(0, 2, 0, PciBridge.PRIMARY_BUS, 4, 0x0003_0300);
        pci.configWrite(0, 2, 0, PciBridge.MEMORY_BASE, 4, 0xFE5F_FE40L);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        port.saveState(new DataOutputStream(b));
        PcieRootPort copy = new PcieRootPort(1, 0x10, (a, d) -> { });
        copy.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertEquals(3, copy.secondaryBus());
        assertEquals(0xFE40_0000L, copy.memoryBase());
        assertEquals(0xFE5F_FFFFL, copy.memoryLimit());
    }

    @Test
    void configurationsWithImpossibleAddressesAreRefusedInOneLine() {
        Path k = Path.of("/k");
        MachineConfig q35 = MachineConfig.of(k).withChipset(MachineConfig.Chipset.Q35);
        MachineConfig.RootPort rp1 = new MachineConfig.RootPort(1, PciAddress.root(2, 0), 1, 0x10);
        String[][] cases = {
                {"pc", "a pcie-root-port needs the q35 machine (--machine q35)"},
                {"index", "two PCI controllers with index 1"},
                {"bus", "disk 0 at 05:00.0: no PCI controller with index 5"},
                {"slot", "disk 0 at 01:01.0: a PCIe root port has only slot 0 behind it"},
                {"lpc", "disk 0 at 00:1f.0: slot 0x1f of the q35 root bus is the ICH9's"},
                {"twice", "disk 0 at 00:02.0: the address is pcie-root-port 1's"},
                {"host", "disk 0 at 00:00.3: slot 0 of the root bus is the host bridge's"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                switch (c[0]) {
                    case "pc" -> MachineConfig.of(k).withRootPorts(List.of(rp1));
                    case "index" -> q35.withRootPorts(List.of(rp1, new MachineConfig.RootPort(1, PciAddress.root(2, 1), 2, 0x11)));
                    case "bus" -> q35.withRootPorts(List.of(rp1)).withDisks(List.of(disk(new PciAddress(5, 0, 0))));
                    case "slot" -> q35.withRootPorts(List.of(rp1)).withDisks(List.of(disk(new PciAddress(1, 1, 0))));
                    case "lpc" -> q35.withDisks(List.of(disk(PciAddress.root(0x1f, 0))));
                    case "twice" -> q35.withRootPorts(List.of(rp1)).withDisks(List.of(disk(PciAddress.root(2, 0))));
                    default -> q35.withDisks(List.of(disk(PciAddress.root(0, 3))));
                }
            }, c[0]);
            assertEquals(c[1], e.getMessage());
        }
    }

    static MachineConfig.Disk disk(PciAddress a) {
        return new MachineConfig.Disk(Path.of("/d"), false, null, null, null, a);
    }
}
