package org.jvirt.vmm.devices.pci;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.pci.PciConfigSpace.BarType;
import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

class PciHostBridgeTest {

    final IoBus mmio = new IoBus("mmio");
    final IoBus pio = new IoBus("pio");
    final RecordingInterruptLine[] gsis = new RecordingInterruptLine[24];
    final PciHostBridge bridge;
    final List<long[]> msis = new ArrayList<>();

    PciHostBridgeTest() {
        for (int i = 0; i < gsis.length; i++) gsis[i] = new RecordingInterruptLine();
        bridge = new PciHostBridge(mmio, pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, g -> gsis[g]);
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, bridge);
    }

    /** A function with a 32-bit 4 KiB BAR0, a 64-bit 16 KiB BAR2, an I/O BAR4 and MSI-X in BAR2. */
    final class TestFunction implements PciDevice {
        final PciConfigSpace cfg = new PciConfigSpace(0x1234, 0x5678, 0x020000, 3);
        final MsixCapability msix;
        final long[] lastWrite = new long[2];
        final IoDevice regs = new IoDevice() {
            @Override public long read(long offset, int size) { return 0xAB00 | offset; }
            @Override public void write(long offset, int size, long value) { lastWrite[0] = offset; lastWrite[1] = value; }
        };
        final IoDevice msixBar = new IoDevice() {
            @Override public long read(long o, int size) { return o < 0x800 ? msix.readTable(o, size) : msix.readPba(o - 0x800, size); }
            @Override public void write(long o, int size, long v) { if (o < 0x800) msix.writeTable(o, size, v); }
        };
        TestFunction() {
            cfg.defineBar(0, BarType.MEMORY32, 0x1000);
            cfg.defineBar(2, BarType.MEMORY64, 0x4000);
            cfg.defineBar(4, BarType.IO, 0x20);
            cfg.declareInterruptPin(1);
            cfg.addCapability(0x09, new byte[] {4, 0}, new byte[2]);
            msix = new MsixCapability(cfg, (a, d) -> msis.add(new long[] {a, d}), 4, 2, 0, 0x800);
        }
        @Override public PciConfigSpace config() { return cfg; }
        @Override public IoDevice bar(int i) { return i == 0 ? regs : i == 2 ? msixBar : i == 4 ? regs : null; }
        @Override public void configWritten(int offset, int size) { msix.configWritten(offset, size); }
    }

    void select(int slot, int reg) { pio.write(0xCF8, 4, 0x8000_0000L | slot << 11 | reg); }
    long cfgRead(int slot, int reg, int size) { select(slot, reg & ~3); return pio.read(0xCFC + (reg & 3), size); }
    void cfgWrite(int slot, int reg, int size, long v) { select(slot, reg & ~3); pio.write(0xCFC + (reg & 3), size, v); }

    @Test
    void hostBridgeAndEmptySlots() {
        assertEquals(0x1237_8086L, cfgRead(0, 0, 4));
        assertEquals(0x0600, cfgRead(0, 0x0A, 2));
        assertEquals(0xFFFF_FFFFL, cfgRead(5, 0, 4), "empty slot");
        pio.write(0xCF8, 4, 0x8001_0000L); // bus 1
        assertEquals(0xFFFF_FFFFL, pio.read(0xCFC, 4));
        pio.write(0xCF8, 4, 0x8000_0100L); // function 1
        assertEquals(0xFFFF_FFFFL, pio.read(0xCFC, 4));
        // Linux's type-1 probe: a byte write to 0xCFB must not disturb CONFIG_ADDRESS
        pio.write(0xCF8, 4, 0x8000_0000L);
        pio.write(0xCFB, 1, 0x01);
        assertEquals(0x8000_0000L, pio.read(0xCF8, 4));
    }

    @Test
    void barsArePreassignedAlignedAndDecoded() {
        TestFunction f = new TestFunction();
        int slot = bridge.addDevice(f);
        assertEquals(1, slot);
        long bar0 = cfgRead(slot, 0x10, 4);
        long bar2 = cfgRead(slot, 0x18, 4) & ~0xFL | cfgRead(slot, 0x1C, 4) << 32;
        assertEquals(0xE000_0000L, bar0);
        assertEquals(0x4, cfgRead(slot, 0x18, 4) & 0x7, "64-bit memory BAR flag");
        assertEquals(0, bar2 % 0x4000);
        assertEquals(0x3, cfgRead(slot, 0x04, 2) & 0x3, "memory and I/O decode enabled");
        assertEquals(0xAB10, mmio.read(bar0 + 0x10, 4));
        long io = cfgRead(slot, 0x20, 4);
        assertEquals(1, io & 1);
        assertEquals(0xC000, io & ~3);
        assertEquals(0xAB04, pio.read(0xC004, 2));
        assertEquals(1, cfgRead(slot, 0x3D, 1), "INTA");
        assertEquals(PciIrqRouting.gsi(1, 0), cfgRead(slot, 0x3C, 1));
    }

    @Test
    void expansionRomIsSizedPlacedAndDecodedOnlyWhileEnabled() {
        org.jvirt.vmm.devices.display.StdVga vga = new org.jvirt.vmm.devices.display.StdVga(new byte[39936]);
        int slot = bridge.addDevice(vga);
        assertEquals(0, cfgRead(slot, 0x30, 4), "no address at power-on: firmware assigns it");
        cfgWrite(slot, 0x30, 4, 0xFFFF_FFFEL);
        assertEquals(0xFFFF_0000L, cfgRead(slot, 0x30, 4), "a 64 KiB ROM for a 39 KiB image");
        cfgWrite(slot, 0x30, 4, 0xFEB0_0000L);
        assertFalse(mmio.isClaimed(0xFEB0_0000L), "not decoded until enabled");
        cfgWrite(slot, 0x30, 4, 0xFEB0_0001L);
        assertTrue(mmio.isClaimed(0xFEB0_0000L) && mmio.isClaimed(0xFEB0_FFFFL));
        cfgWrite(slot, 0x04, 2, cfgRead(slot, 0x04, 2) & ~2);
        assertFalse(mmio.isClaimed(0xFEB0_0000L), "memory decoding off hides the ROM too");
        cfgWrite(slot, 0x04, 2, cfgRead(slot, 0x04, 2) | 2);
        assertTrue(mmio.isClaimed(0xFEB0_0000L));
        cfgWrite(slot, 0x30, 4, 0xFEB0_0000L);
        assertFalse(mmio.isClaimed(0xFEB0_0000L));
        assertEquals(0x0300, cfgRead(slot, 0x0A, 2), "VGA-compatible display controller");
        assertEquals(0x1111_1234L, cfgRead(slot, 0, 4));
        assertEquals(0x8, cfgRead(slot, 0x10, 4) & 0xF, "BAR0: prefetchable 32-bit memory");
    }

    @Test
    void sizingAndMovingABarFollowsOnTheBus() {
        TestFunction f = new TestFunction();
        int slot = bridge.addDevice(f);
        long old = cfgRead(slot, 0x10, 4);
        cfgWrite(slot, 0x04, 2, 0x0000); // Linux disables decoding while sizing
        assertFalse(mmio.isClaimed(old));
        cfgWrite(slot, 0x10, 4, 0xFFFF_FFFFL);
        assertEquals(0xFFFF_F000L, cfgRead(slot, 0x10, 4), "size mask of a 4 KiB BAR");
        cfgWrite(slot, 0x18, 4, 0xFFFF_FFFFL);
        cfgWrite(slot, 0x1C, 4, 0xFFFF_FFFFL);
        assertEquals(0xFFFF_C004L, cfgRead(slot, 0x18, 4));
        assertEquals(0xFFFF_FFFFL, cfgRead(slot, 0x1C, 4));
        cfgWrite(slot, 0x20, 4, 0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFE1L, cfgRead(slot, 0x20, 4), "32-byte I/O BAR");
        cfgWrite(slot, 0x30, 4, 0xFFFF_FFFFL);
        assertEquals(0, cfgRead(slot, 0x30, 4), "no expansion ROM");
        cfgWrite(slot, 0x10, 4, 0xF000_0000L);
        cfgWrite(slot, 0x18, 4, 0xF001_0000L);
        cfgWrite(slot, 0x1C, 4, 0);
        cfgWrite(slot, 0x20, 4, 0xD000);
        assertFalse(mmio.isClaimed(0xF000_0000L), "not decoded until COMMAND.MEM");
        cfgWrite(slot, 0x04, 2, 0x0007);
        assertEquals(0xAB08, mmio.read(0xF000_0008L, 4));
        assertFalse(mmio.isClaimed(old));
        assertEquals(0xAB00, pio.read(0xD000, 2));
        assertEquals(0xF000_0000L, bridge.mappedBarAddress(slot, 0));
        cfgWrite(slot, 0x10, 4, 0xF000_2000L); // moved while decoding
        assertFalse(mmio.isClaimed(0xF000_0000L));
        assertTrue(mmio.isClaimed(0xF000_2FFFL));
    }

    @Test
    void barOverAnOccupiedRangeStaysUnmapped() {
        int a = bridge.addDevice(new TestFunction());
        int b = bridge.addDevice(new TestFunction());
        long aBar0 = cfgRead(a, 0x10, 4);
        cfgWrite(b, 0x10, 4, aBar0);
        assertEquals(-1, bridge.mappedBarAddress(b, 0));
        assertEquals(aBar0, bridge.mappedBarAddress(a, 0));
        cfgWrite(b, 0x10, 4, 0xF800_0000L);
        assertEquals(0xF800_0000L, bridge.mappedBarAddress(b, 0));
    }

    @Test
    void capabilityListAndStatusBit() {
        int slot = bridge.addDevice(new TestFunction());
        assertEquals(0x10, cfgRead(slot, 0x06, 2) & 0x10);
        int ptr = (int) cfgRead(slot, 0x34, 1);
        List<Integer> ids = new ArrayList<>();
        while (ptr != 0) {
            ids.add((int) cfgRead(slot, ptr, 1));
            ptr = (int) cfgRead(slot, ptr + 1, 1);
        }
        assertEquals(List.of(0x09, 0x11), ids);
    }

    @Test
    void intxHonoursInterruptDisable() {
        TestFunction f = new TestFunction();
        int slot = bridge.addDevice(f);
        RecordingInterruptLine line = gsis[PciIrqRouting.gsi(slot, 0)];
        f.cfg.setIntx(true);
        assertTrue(line.level());
        assertEquals(0x08, cfgRead(slot, 0x06, 2) & 0x08, "interrupt status");
        cfgWrite(slot, 0x04, 2, 0x0407);
        assertFalse(line.level());
        cfgWrite(slot, 0x04, 2, 0x0007);
        assertTrue(line.level());
        f.cfg.setIntx(false);
        assertFalse(line.level());
    }

    @Test
    void msixMaskingAndPendingBits() {
        TestFunction f = new TestFunction();
        int slot = bridge.addDevice(f);
        long table = cfgRead(slot, 0x18, 4) & ~0xFL | cfgRead(slot, 0x1C, 4) << 32;
        int cap = 0x40;
        while (cfgRead(slot, cap, 1) != 0x11) cap = (int) cfgRead(slot, cap + 1, 1);
        assertEquals(3, cfgRead(slot, cap + 2, 2) & 0x7FF, "table size N-1");
        assertEquals(2, cfgRead(slot, cap + 4, 4) & 7, "table BIR");
        mmio.write(table + 16, 4, 0xFEE0_0000L);
        mmio.write(table + 20, 4, 0);
        mmio.write(table + 24, 4, 0x41);
        assertEquals(1, mmio.read(table + 28, 4), "vectors start masked");
        f.msix.signal(1);
        assertTrue(msis.isEmpty());
        assertEquals(0x2, mmio.read(table + 0x800, 8), "pending bit 1");
        cfgWrite(slot, cap + 2, 2, 0x8000 | 0x4000); // enable, function-masked
        mmio.write(table + 28, 4, 0);             // unmask vector 1
        assertTrue(msis.isEmpty(), "function mask still holds it");
        cfgWrite(slot, cap + 2, 2, 0x8000);
        assertEquals(1, msis.size());
        assertArrayEquals(new long[] {0xFEE0_0000L, 0x41}, msis.get(0));
        assertEquals(0, mmio.read(table + 0x800, 8));
        f.msix.signal(1);
        assertEquals(2, msis.size());
        assertFalse(f.msix.signal(7), "out-of-range vector ignored");
    }

    @Test
    void snapshotRestoresConfigAndRemapsBars() throws Exception {
        TestFunction f = new TestFunction();
        int slot = bridge.addDevice(f);
        cfgWrite(slot, 0x04, 2, 0);
        cfgWrite(slot, 0x10, 4, 0xF100_0000L);
        cfgWrite(slot, 0x04, 2, 0x0006);
        select(slot, 0x3C);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(b);
        bridge.saveState(out);
        f.cfg.saveState(out);

        IoBus mmio2 = new IoBus("mmio2");
        PciHostBridge bridge2 = new PciHostBridge(mmio2, new IoBus("pio2"), 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, null);
        TestFunction g = new TestFunction();
        assertEquals(slot, bridge2.addDevice(g));
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(b.toByteArray()));
        bridge2.loadState(in);
        g.cfg.loadState(in);
        bridge2.refreshMappings();
        assertTrue(mmio2.isClaimed(0xF100_0000L));
        assertFalse(mmio2.isClaimed(0xE000_0000L));
        assertEquals(-1, bridge2.mappedBarAddress(slot, 4), "I/O decode was off");
        assertEquals(pio.read(0xCFC, 4), bridge2.read(4, 4), "CONFIG_ADDRESS restored");
    }

    @Test
    void resetRestoresPreassignedBarsAndDecoding() {
        TestFunction f = new TestFunction();
        int slot = bridge.addDevice(f);
        long pre = cfgRead(slot, 0x10, 4);
        cfgWrite(slot, 0x10, 4, 0xF200_0000L);
        cfgWrite(slot, 0x04, 2, 0x0400);
        cfgWrite(slot, 0x3C, 1, 0x0B);
        assertFalse(mmio.isClaimed(pre));
        bridge.reset();
        assertEquals(pre, cfgRead(slot, 0x10, 4));
        assertEquals(0x3, cfgRead(slot, 0x04, 2) & 0x407);
        assertTrue(mmio.isClaimed(pre));
        assertFalse(mmio.isClaimed(0xF200_0000L));
        assertEquals(PciIrqRouting.gsi(slot, 0), cfgRead(slot, 0x3C, 1));
    }

    @Test
    void functionsOfOneSlotAreReachedAndMarkedMultiFunction() {
        TestFunction f0 = new TestFunction(), f3 = new TestFunction();
        bridge.addFunction(5, 3, f3);
        bridge.addDevice(5, f0);
        assertEquals(0x80, cfgRead(5, PciConfigSpace.HEADER_TYPE, 1) & 0x80, "function 0 says the slot has more functions");
        pio.write(0xCF8, 4, 0x8000_0000L | 5 << 11 | 3 << 8);
        assertEquals(0x5678_1234L, pio.read(0xCFC, 4), "function 3 through CF8/CFC");
        assertEquals(0x5678_1234L, bridge.configRead(0, 5, 3, 0, 4));
        assertEquals(0xFFFF_FFFFL, bridge.configRead(0, 5, 2, 0, 4), "absent function");
        assertEquals(0xFFFFL, bridge.configRead(0, 5, 3, PciHostBridge.CONFIG_SIZE, 2), "past conventional config space");
        long f3Bar = bridge.configRead(0, 5, 3, 0x10, 4);
        assertNotEquals(f3Bar, bridge.configRead(0, 5, 0, 0x10, 4), "each function has its own BARs");
        assertTrue(mmio.isClaimed(f3Bar));
        bridge.configWrite(0, 5, 3, 0x04, 2, 0);
        assertFalse(mmio.isClaimed(f3Bar), "decoding off for function 3 only");
        assertEquals(-1, bridge.mappedBarAddress(5, 3, 0));
        assertTrue(mmio.isClaimed(bridge.mappedBarAddress(5, 0)));
        assertEquals(PciIrqRouting.gsi(5, 0), bridge.configRead(0, 5, 3, 0x3C, 1), "a slot's functions share its INTx routing");
        assertNotEquals(5, bridge.addDevice(new TestFunction()), "a slot with functions is not free");
        bridge.reset();
        assertEquals(0x80, cfgRead(5, PciConfigSpace.HEADER_TYPE, 1) & 0x80, "kept over reset");
        assertTrue(mmio.isClaimed(f3Bar), "reset redoes the preassigned decoding");
    }
}
