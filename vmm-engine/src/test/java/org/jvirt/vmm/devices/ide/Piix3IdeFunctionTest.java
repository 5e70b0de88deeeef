package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.junit.jupiter.api.Test;

/** The PIIX3 IDE function as firmware finds it through configuration mechanism #1. */
class Piix3IdeFunctionTest {

    @Test
    void seabiosAndAtaPiixSeeACompatibilityModeIdeController() {
        IoBus pio = new IoBus("pio");
        PciHostBridge bridge = new PciHostBridge(new IoBus("mmio"), pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, null);
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, bridge);
        int slot = bridge.addDevice(new Piix3IdeFunction());
        java.util.function.IntUnaryOperator cfg = reg -> {
            pio.write(0xCF8, 4, 0x8000_0000L | (long) slot << 11 | (reg & 0xFC));
            return (int) pio.read(0xCFC, 4);
        };
        assertEquals(0x7010_8086, cfg.applyAsInt(0x00));
        assertEquals(0x01_01_80, cfg.applyAsInt(0x08) >>> 8, "class IDE, legacy mode on both channels, bus-master capable");
        assertEquals(0, cfg.applyAsInt(0x20), "no BAR4 yet: PIO only");
        assertEquals(0, (cfg.applyAsInt(0x09 & ~3) >>> 8) & 0x05, "neither channel in native mode");
        int idetim = cfg.applyAsInt(0x40);
        assertEquals(0x8000, idetim & 0x8000, "primary decode enabled (ata_piix checks 0x41 bit 7)");
        assertEquals(0x8000, (idetim >>> 16) & 0x8000, "secondary decode enabled (0x43 bit 7)");
        assertEquals(0, cfg.applyAsInt(0x3C) >>> 8 & 0xFF, "no INTx pin: the channels use IRQ 14/15");
    }
}
