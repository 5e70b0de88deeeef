package org.jvirt.vmm.devices.pcie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.devices.pci.PciBridge;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.jvirt.vmm.devices.q35.Q35Chipset;
import org.jvirt.vmm.devices.virtio.VirtioBlock;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.jvirt.vmm.testutil.QemuQtest;
import org.jvirt.vmm.testutil.RecordingInterruptLine;

/**
 * One guest script against jvirt's q35 with two root ports and against QEMU 7.2's
 * {@code -machine q35,smm=off} with libvirt's {@code -device pcie-root-port,port=0x10,chassis=1,
 * addr=0x2.0x0,multifunction=on} and {@code port=0x11,chassis=2,addr=0x2.0x1}, a virtio-blk disk
 * behind the first (as virt-install lays out a q35), through QEMU's qtest (vCPUs stopped): both
 * ports' config space at reset (the populated one's link and slot status differ from the empty
 * one's), after SeaBIOS-like bus numbering and windows (read back through CF8/CFC and ECAM), the
 * functions the forwarded type-1 cycles reach (the disk's IDs, absent devices and buses), the
 * write masks (all ones into every register), and the slot control's side effects.
 *
 * <p>Left out, on purpose: COMMAND, BAR 0 and INTERRUPT_LINE at reset (jvirt preassigns BARs and
 * wires INTx as firmware would, for firmware-less boots), and the disk's config space beyond its
 * IDs (jvirt's virtio-blk is a conventional PCI function of class 0180, QEMU's a PCIe one of
 * class 0100 behind a port).
 */
class PcieRootPortQemuDifferentialTest {

    interface Guest {
        long cfgRead(int bus, int slot, int fn, int reg, int size);
        void cfgWrite(int bus, int slot, int fn, int reg, int size, long v);
        long memRead(long addr);
    }

    static Guest qemu(QemuQtest q) {
        return new Guest() {
            @Override public long cfgRead(int bus, int slot, int fn, int reg, int size) { return q.cfgRead(bus, slot, fn, reg, size); }
            @Override public void cfgWrite(int bus, int slot, int fn, int reg, int size, long v) { q.cfgWrite(bus, slot, fn, reg, size, v); }
            @Override public long memRead(long addr) { return q.readl(addr); }
        };
    }

    /** jvirt's q35 bus 0 as PcBoard builds it, with the two ports and the disk behind the first. */
    static Guest jvirt(Path disk) throws IOException {
        IoBus pio = new IoBus("pio"), mmio = new IoBus("mmio");
        RecordingInterruptLine[] gsis = new RecordingInterruptLine[24];
        for (int i = 0; i < gsis.length; i++) gsis[i] = new RecordingInterruptLine();
        Q35Chipset chipset = new Q35Chipset(mmio, pio, new MovableRange(pio, AcpiPm.LENGTH, new AcpiPm(gsis[9], () -> { })));
        PciHostBridge pci = new PciHostBridge(mmio, pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, g -> gsis[g],
                chipset.hostBridge(), chipset.routing());
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, pci);
        chipset.attach(pci);
        PcieRootPort p1 = new PcieRootPort(1, 0x10, (a, d) -> { }), p2 = new PcieRootPort(2, 0x11, (a, d) -> { });
        pci.addFunction(2, 0, p1);
        pci.addFunction(2, 1, p2);
        pci.addFunction(p1, 0, 0, new VirtioPciDevice(new VirtioBlock(disk, false, "d0"), new HeapGuestMemory(1 << 20), (a, d) -> { }));
        return new Guest() {
            @Override public long cfgRead(int bus, int slot, int fn, int reg, int size) {
                pio.write(0xCF8, 4, 0x8000_0000L | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
                return pio.read(0xCFC + (reg & 3), size);
            }
            @Override public void cfgWrite(int bus, int slot, int fn, int reg, int size, long v) {
                pio.write(0xCF8, 4, 0x8000_0000L | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
                pio.write(0xCFC + (reg & 3), size, v);
            }
            @Override public long memRead(long addr) { return mmio.read(addr, 4); }
        };
    }

    static final long ECAM = 0xB000_0000L;

    static long ecam(int bus, int slot, int fn, int reg) {
        return ECAM + ((long) bus << 20 | slot << 15 | fn << 12 | reg);
    }

    static List<String> script(Guest g) {
        List<String> t = new ArrayList<>();
        for (int fn = 0; fn < 2; fn++) {
            for (int reg = 0; reg < 0x100; reg += 4) {
                if (reg == PciConfigSpace.COMMAND || reg == PciConfigSpace.BAR0) continue;
                long v = g.cfgRead(0, 2, fn, reg, 4);
                if (reg == PciConfigSpace.INTERRUPT_LINE) v &= ~0xFFL;
                t.add(String.format("reset 02.%d %02x: %08x", fn, reg, v));
            }
        }
        t.add(String.format("bus 1 before numbering: %08x", g.cfgRead(1, 0, 0, 0, 4)));
        // SeaBIOS 1.16: mmconfig, then pci_bios_init_bus (primary 0, secondary/subordinate 1 and 2), windows, forwarding on
        g.cfgWrite(0, 0, 0, 0x60, 4, 0);
        g.cfgWrite(0, 0, 0, 0x64, 4, 0);
        g.cfgWrite(0, 0, 0, 0x60, 4, 0xB000_0001L);
        g.cfgWrite(0, 2, 0, PciBridge.PRIMARY_BUS, 4, 0x0001_0100);
        g.cfgWrite(0, 2, 1, PciBridge.PRIMARY_BUS, 4, 0x0002_0200);
        g.cfgWrite(0, 2, 0, PciBridge.MEMORY_BASE, 4, 0xFE7F_FE60L);
        g.cfgWrite(0, 2, 0, PciBridge.PREF_MEMORY_BASE, 4, 0x0001_FFF1);
        g.cfgWrite(0, 2, 0, PciBridge.IO_BASE, 2, 0x10_10 | 0xC0_00);
        g.cfgWrite(0, 2, 0, PciConfigSpace.COMMAND, 2, 0x0107);
        for (int fn = 0; fn < 2; fn++) {
            for (int reg = 0x18; reg < 0x34; reg += 4) {
                t.add(String.format("numbered 02.%d %02x: %08x ecam %08x", fn, reg, g.cfgRead(0, 2, fn, reg, 4), g.memRead(ecam(0, 2, fn, reg))));
            }
        }
        t.add(String.format("bus 1 dev 0 ids: %08x ecam %08x", g.cfgRead(1, 0, 0, 0, 4), g.memRead(ecam(1, 0, 0, 0))));
        t.add(String.format("bus 1 dev 0 fn 1: %08x", g.cfgRead(1, 0, 1, 0, 4)));
        t.add(String.format("bus 1 dev 1: %08x ecam %08x", g.cfgRead(1, 1, 0, 0, 4), g.memRead(ecam(1, 1, 0, 0))));
        t.add(String.format("bus 1 dev 31: %08x", g.cfgRead(1, 31, 0, 0, 4)));
        t.add(String.format("bus 2 (empty port): %08x ecam %08x", g.cfgRead(2, 0, 0, 0, 4), g.memRead(ecam(2, 0, 0, 0))));
        t.add(String.format("bus 3 (no port): %08x ecam %08x", g.cfgRead(3, 0, 0, 0, 4), g.memRead(ecam(3, 0, 0, 0))));
        // renumbered: the disk follows the port's secondary bus
        g.cfgWrite(0, 2, 0, PciBridge.PRIMARY_BUS, 4, 0x0005_0500);
        t.add(String.format("renumbered: bus 1 %08x bus 5 %08x", g.cfgRead(1, 0, 0, 0, 4), g.cfgRead(5, 0, 0, 0, 4)));
        // slot control side effects
        g.cfgWrite(0, 2, 1, PcieRootPort.SLOT_CONTROL, 2, 0x0400);
        t.add(String.format("slot control 0400: %08x", g.cfgRead(0, 2, 1, PcieRootPort.SLOT_CONTROL, 4)));
        g.cfgWrite(0, 2, 1, PcieRootPort.SLOT_CONTROL, 2, 0x0800);
        t.add(String.format("slot control 0800: %08x", g.cfgRead(0, 2, 1, PcieRootPort.SLOT_CONTROL, 4)));
        g.cfgWrite(0, 2, 1, PcieRootPort.SLOT_CONTROL, 4, 0xFFFF_0000L);
        t.add(String.format("slot status ffff: %08x", g.cfgRead(0, 2, 1, PcieRootPort.SLOT_CONTROL, 4)));
        // all ones everywhere: what sticks is each register's write mask
        for (int reg = 0x04; reg < 0x100; reg += 4) g.cfgWrite(0, 2, 1, reg, 4, 0xFFFF_FFFFL);
        for (int reg = 0; reg < 0x100; reg += 4) t.add(String.format("all ones 02.1 %02x: %08x", reg, g.cfgRead(0, 2, 1, reg, 4)));
        return t;
    }

    @Test
    void jvirtsRootPortAnswersAsQemus(@TempDir Path dir) throws Exception {
        assumeTrue(new java.io.File("/usr/bin/qemu-system-x86_64").canExecute(), "skipped: qemu-system-x86_64 is not installed");
        Path disk = dir.resolve("d.raw");
        Files.write(disk, new byte[1 << 20]);
        List<String> expected;
        try (QemuQtest q = new QemuQtest("q35,smm=off", "-m", "256",
                "-device", "pcie-root-port,id=pci.1,bus=pcie.0,chassis=1,port=0x10,addr=0x2.0x0,multifunction=on",
                "-device", "pcie-root-port,id=pci.2,bus=pcie.0,chassis=2,port=0x11,addr=0x2.0x1",
                "-drive", "if=none,id=d0,format=raw,file=" + disk,
                "-device", "virtio-blk-pci,bus=pci.1,addr=0x0,drive=d0")) {
            expected = script(qemu(q));
        }
        List<String> actual = script(jvirt(disk));
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String e = i < expected.size() ? expected.get(i) : "(none)", a = i < actual.size() ? actual.get(i) : "(none)";
            if (!e.equals(a)) differences.add("QEMU " + e + " | jvirt " + a);
        }
        assertEquals(List.of(), differences, "observations that differ (of " + expected.size() + ")");
    }
}
