package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.irq.InterruptLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The IOAPIC through its MMIO window, and MSIs, delivering to the local APICs of a 2-vCPU platform. */
class IoApicTest {
    private EmuPlatform platform;
    private IoBus mmio;
    private LocalApic a0, a1;

    @BeforeEach
    void setUp() {
        platform = new EmuPlatform(2);
        mmio = new IoBus("mmio");
        platform.registerDevices(new IoBus("pio"), mmio);
        a0 = platform.localApic(0);
        a1 = platform.localApic(1);
        a0.write(0xF0, 4, 0x1FF);
        a1.write(0xF0, 4, 0x1FF);
        a0.write(0x350, 4, 0x10700); // IOAPIC mode: Linux masks LINT0 (the 8259, at reset unmasked, also sees ISA IRQs)
    }

    private int ioread(int reg) {
        mmio.write(0xFEC00000L, 4, reg);
        return (int) mmio.read(0xFEC00010L, 4);
    }

    private void iowrite(int reg, int v) {
        mmio.write(0xFEC00000L, 4, reg);
        mmio.write(0xFEC00010L, 4, v);
    }

    private void route(int pin, long entry) {
        iowrite(0x11 + 2 * pin, (int) (entry >>> 32));
        iowrite(0x10 + 2 * pin, (int) entry);
    }

    @Test
    void identityVersionAndMaskedResetEntries() {
        assertEquals(0x00170011, ioread(1));
        iowrite(0, 0x0a000000);
        assertEquals(0x0a000000, ioread(0));
        assertEquals(0x0a000000, ioread(2));
        assertEquals(0x10000, ioread(0x10 + 2 * 5));
        assertEquals(0, ioread(0x11 + 2 * 5));
        assertEquals(0xa, platform.ioapic().exportState().id());
    }

    @Test
    void levelTriggeredPinWithRemoteIrrAndEoiBroadcast() {
        route(16, 1L << 56 | 1 << 15 | 0x50);                 // level, physical dest APIC 1, vector 0x50
        InterruptLine gsi16 = platform.interruptLine(16);
        gsi16.setLevel(true);
        assertFalse(a0.hasInterrupt());
        assertTrue(a1.hasInterrupt());
        assertEquals(0x50, a1.acknowledge());
        assertEquals(1 << 14, ioread(0x10 + 32) & (1 << 14));   // remote IRR
        gsi16.setLevel(true);                                    // still high: nothing more while in service
        assertFalse(a1.hasInterrupt());
        a1.write(0xB0, 4, 0);                                    // EOI: TMR set, broadcast to the IOAPIC
        assertTrue(a1.hasInterrupt(), "line still high: delivered again after the EOI");
        assertEquals(0x50, a1.acknowledge());
        gsi16.setLevel(false);
        a1.write(0xB0, 4, 0);
        assertEquals(0, ioread(0x10 + 32) & (1 << 14));
        assertFalse(a1.hasInterrupt());
        assertEquals(0, platform.ioapic().exportState().irr());
    }

    @Test
    void maskedEdgeWaitsInIrrUntilUnmasked() {
        route(4, 0x10000 | 0x24);                                // edge, masked
        platform.interruptLine(4).pulse();
        assertFalse(a0.hasInterrupt());
        assertEquals(1 << 4, platform.ioapic().exportState().irr());
        route(4, 0x24);
        assertEquals(0x24, a0.acknowledge());
        assertEquals(0, platform.ioapic().exportState().irr());
        a0.write(0xB0, 4, 0);                                    // edge: no remote IRR, no broadcast effect
        assertEquals(0, ioread(0x10 + 8) & (1 << 14));
    }

    @Test
    void pitIrq0ArrivesOnPin2AndOtherIsaIrqsOnTheirOwnPins() {
        route(2, 0x30);
        route(0, 0x60);
        route(4, 0x34);
        platform.interruptLine(0).pulse();
        assertEquals(0x30, a0.acknowledge());
        a0.write(0xB0, 4, 0);
        platform.interruptLine(4).pulse();
        assertEquals(0x34, a0.acknowledge());
    }

    @Test
    void logicalLowestPriorityNmiAndExtIntDeliveryModes() {
        a0.write(0xD0, 4, 1 << 24);
        a1.write(0xD0, 4, 2 << 24);
        a0.write(0x80, 4, 0x40);
        route(9, 3L << 56 | 1 << 11 | 1 << 8 | 0x41);           // logical 1|2, lowest priority
        platform.interruptLine(9).pulse();
        assertFalse(a0.hasInterrupt());
        assertEquals(0x41, a1.acknowledge());
        route(10, 1L << 56 | 4 << 8);                            // NMI to APIC 1
        platform.interruptLine(10).pulse();
        assertTrue(a1.takeNmi());
        a0.write(0x350, 4, 0x10700);                             // LINT0 masked: only an ExtINT message brings the 8259 in
        IoBus pio = new IoBus("pio2");
        Pic8259Pair pic = platform.pic();
        pio.register(0x20, 2, pic.masterPorts());
        pio.write(0x20, 1, 0x11); pio.write(0x21, 1, 0x20); pio.write(0x21, 1, 0x04); pio.write(0x21, 1, 0x01);
        pio.write(0x21, 1, 0x04);                                // IR2 masked: the untouched slave still holds IRQ 9 and 10
        route(3, 7 << 8);                                        // ExtINT to APIC 0
        a0.write(0x80, 4, 0);
        platform.interruptLine(3).pulse();
        assertTrue(a0.hasInterrupt());
        assertEquals(0x23, a0.acknowledge());                    // the vector comes from the 8259
    }

    @Test
    void msiDecodesDestinationVectorAndModes() {
        var msi = platform.msiSink();
        msi.signalMsi(0xFEE01000L, 0x0061);                      // physical APIC 1, fixed, edge
        assertEquals(0x61, a1.acknowledge());
        assertFalse(a0.hasInterrupt());
        a1.write(0xB0, 4, 0);
        a0.write(0xD0, 4, 1 << 24);
        a1.write(0xD0, 4, 2 << 24);
        msi.signalMsi(0xFEE03000L | 4, 0x0071);                  // logical 1|2, fixed: both
        assertEquals(0x71, a0.acknowledge());
        assertEquals(0x71, a1.acknowledge());
        a0.write(0xB0, 4, 0);
        a1.write(0xB0, 4, 0);
        a1.write(0x80, 4, 0x80);
        msi.signalMsi(0xFEE03000L | 4 | 8, 0x0072);              // redirection hint: lowest priority, one CPU
        assertEquals(0x72, a0.acknowledge());
        assertFalse(a1.hasInterrupt());
        msi.signalMsi(0xFEE00000L, 0x0400);                      // NMI
        assertTrue(a0.takeNmi());
        msi.signalMsi(0x12345000L, 0x0061);                      // not an interrupt address: dropped
        assertFalse(a1.hasInterrupt());
    }

    @Test
    void stateRoundTripKeepsRemoteIrrAndPendingLines() {
        route(16, 1 << 15 | 0x50);
        route(5, 0x10000 | 0x25);
        iowrite(0, 0x03000000);
        platform.interruptLine(16).setLevel(true);
        platform.interruptLine(5).pulse();
        a0.acknowledge();
        var s = platform.ioapic().exportState();
        assertEquals(1 << 16 | 1 << 5, s.irr());
        EmuPlatform other = new EmuPlatform(2);
        other.localApic(0).write(0xF0, 4, 0x1FF);
        other.ioapic().importState(s);
        assertEquals(s, other.ioapic().exportState());
        assertFalse(other.localApic(0).hasInterrupt());          // remote IRR holds the level pin, pin 5 masked
    }
}
