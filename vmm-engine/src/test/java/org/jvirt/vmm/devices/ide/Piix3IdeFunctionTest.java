package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.vmm.block.RawFileBackend;
import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PIIX3 IDE function as firmware finds it through configuration mechanism #1. */
class Piix3IdeFunctionTest {

    private final IoBus pio = new IoBus("pio");
    private int slot;

    private int cfg(int reg) {
        pio.write(0xCF8, 4, 0x8000_0000L | (long) slot << 11 | (reg & 0xFC));
        return (int) pio.read(0xCFC, 4);
    }

    private void cfgWrite(int reg, int v) {
        pio.write(0xCF8, 4, 0x8000_0000L | (long) slot << 11 | (reg & 0xFC));
        pio.write(0xCFC, 4, v);
    }

    private void plug(HeapGuestMemory memory) {
        plug(memory, null);
    }

    private void plug(HeapGuestMemory memory, IdeDevice primaryMaster) {
        PciHostBridge bridge = new PciHostBridge(new IoBus("mmio"), pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, null);
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, bridge);
        IdeChannel primary = new IdeChannel(new RecordingInterruptLine(), primaryMaster, null, memory);
        pio.register(IdeChannel.PRIMARY_COMMAND_PORT, IdeChannel.COMMAND_BLOCK_LENGTH, primary.commandBlock());
        IdeChannel secondary = new IdeChannel(new RecordingInterruptLine(), null, null, memory);
        slot = bridge.addDevice(new Piix3IdeFunction(primary, secondary));
    }

    @Test
    void withoutBusMastersThereIsNoBar4() {
        plug(null);
        assertEquals(0, cfg(0x20), "no BAR4: PIO only");
    }

    @Test
    void bar4IsSixteenPortsOfTheTwoBusMasters() {
        plug(new HeapGuestMemory(1 << 20));
        cfgWrite(0x20, 0xFFFF_FFFF);
        assertEquals(0xFFFF_FFF1, cfg(0x20), "an I/O BAR of 16 ports");
        cfgWrite(0x20, 0xC040);
        cfgWrite(0x04, 0x0005); // I/O decode, bus master
        pio.write(0xC044, 4, 0x1234_5679);
        pio.write(0xC04C, 4, 0x0008_0000);
        assertEquals(0x1234_5678, pio.read(0xC044, 4), "the primary's table address, dword aligned");
        assertEquals(0x0008_0000, pio.read(0xC04C, 4), "the secondary's");
        pio.write(0xC042, 1, 0x60);
        assertEquals(0x60, pio.read(0xC042, 1), "drive 0/1 DMA capable, read/write");
        assertEquals(0, pio.read(0xC04A, 1), "the secondary's status is its own");
    }

    @Test
    void withoutBusMasterEnableTheEngineTouchesNoMemory(@TempDir Path dir) throws Exception {
        byte[] disk = new byte[64 * 512];
        java.util.Arrays.fill(disk, (byte) 0x5A);
        HeapGuestMemory memory = new HeapGuestMemory(1 << 20);
        plug(memory, new AtaDisk(new RawFileBackend(Files.write(dir.resolve("d.raw"), disk), false), "S", "M"));
        cfgWrite(0x20, 0xC040);
        for (boolean enabled : new boolean[] {false, true}) {
            cfgWrite(0x04, enabled ? 0x0005 : 0x0001); // I/O decode; bus master as asked
            memory.writeInt(0x1000, 0x8000);
            memory.writeInt(0x1004, 0x8000_0200); // one sector, end of table
            pio.write(0xC044, 4, 0x1000);
            pio.write(0x1F6, 1, 0xE0);
            pio.write(0x1F2, 1, 1);
            pio.write(0x1F7, 1, 0xC8); // READ DMA, LBA 0
            pio.write(0xC040, 1, 0x09);
            assertEquals(enabled ? 0x5A : 0, memory.readByte(0x8000) & 0xFF, "bus master " + (enabled ? "enabled" : "disabled"));
            assertEquals(enabled ? 0x04 : 0x02, pio.read(0xC042, 1) & 0x07, "INTERRUPT when done, ERROR (a master abort) when disabled");
            pio.write(0xC040, 1, 0x08);
            pio.write(0xC042, 1, 0x06);
            pio.read(0x1F7, 1);
        }
    }

    @Test
    void seabiosAndAtaPiixSeeACompatibilityModeIdeController() {
        plug(new HeapGuestMemory(1 << 20));
        java.util.function.IntUnaryOperator cfg = this::cfg;
        assertEquals(0x7010_8086, cfg.applyAsInt(0x00));
        assertEquals(0x01_01_80, cfg.applyAsInt(0x08) >>> 8, "class IDE, legacy mode on both channels, bus-master capable");
        assertEquals(0, (cfg.applyAsInt(0x09 & ~3) >>> 8) & 0x05, "neither channel in native mode");
        int idetim = cfg.applyAsInt(0x40);
        assertEquals(0x8000, idetim & 0x8000, "primary decode enabled (ata_piix checks 0x41 bit 7)");
        assertEquals(0x8000, (idetim >>> 16) & 0x8000, "secondary decode enabled (0x43 bit 7)");
        assertEquals(0, cfg.applyAsInt(0x3C) >>> 8 & 0xFF, "no INTx pin: the channels use IRQ 14/15");
    }
}
