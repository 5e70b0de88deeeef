package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The 8259 pair programmed through its ports as Linux's init_8259A and the i8259 driver do. */
class Pic8259PairTest {
    private Pic8259Pair pic;
    private IoBus pio;

    @BeforeEach
    void linuxInit() {
        pic = new Pic8259Pair();
        pio = new IoBus("pio");
        pio.register(0x20, 2, pic.masterPorts());
        pio.register(0xA0, 2, pic.slavePorts());
        pio.register(0x4D0, 2, pic.elcrPorts());
        out(0x21, 0xff); out(0xA1, 0xff);                       // mask all
        out(0x20, 0x11); out(0x21, 0x30); out(0x21, 0x04); out(0x21, 0x01); // ICW1..4: vectors 0x30, slave on IR2, 8086 mode
        out(0xA0, 0x11); out(0xA1, 0x38); out(0xA1, 0x02); out(0xA1, 0x01);
        out(0x21, 0x00); out(0xA1, 0x00);                       // unmask all (IR2 carries the slave)
    }

    private void out(int port, int v) { pio.write(port, 1, v); }
    private int in(int port) { return (int) pio.read(port, 1); }

    private int isr(int cmdPort) { out(cmdPort, 0x0b); int v = in(cmdPort); out(cmdPort, 0x0a); return v; }

    @Test
    void initSequenceSetsVectorsAndMasks() {
        assertEquals(0, in(0x21));
        out(0x21, 0xfb);
        assertEquals(0xfb, in(0x21));
        assertEquals(0x30, pic.exportMaster().irqBase());
        assertEquals(0x38, pic.exportSlave().irqBase());
        assertEquals(0, pic.exportMaster().initState());
        assertFalse(pic.hasInterrupt());
    }

    @Test
    void edgeIrqIsAcknowledgedAndEndedByNonSpecificEoi() {
        pic.setIrq(1, true);
        pic.setIrq(1, false);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x02, in(0x20));                      // IRR
        assertEquals(0x31, pic.acknowledge());
        assertFalse(pic.hasInterrupt());
        assertEquals(0x02, isr(0x20));
        assertEquals(0x00, in(0x20) & 0x02);                // IRR cleared by INTA (edge)
        out(0x20, 0x20);                                    // non-specific EOI
        assertEquals(0, isr(0x20));
    }

    @Test
    void maskedLineWaitsForUnmask() {
        out(0x21, 0x02);
        pic.setIrq(1, true);
        assertFalse(pic.hasInterrupt());
        out(0x21, 0x00);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x31, pic.acknowledge());
    }

    @Test
    void slaveCascadesThroughIr2() {
        pic.setIrq(12, true);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x3c, pic.acknowledge());
        assertEquals(0x04, isr(0x20));
        assertEquals(0x10, isr(0xA0));
        out(0xA0, 0x20); out(0x20, 0x20);                   // Linux: slave EOI then master EOI
        assertEquals(0, isr(0x20));
        assertEquals(0, isr(0xA0));
        pic.setIrq(12, false);
        pic.setIrq(12, true);                              // a second edge goes through again
        assertEquals(0x3c, pic.acknowledge());
    }

    @Test
    void priorityAndNesting() {
        pic.setIrq(5, true);
        pic.setIrq(3, true);
        assertEquals(0x33, pic.acknowledge());             // lower line number wins
        assertFalse(pic.hasInterrupt());                   // 5 is lower priority than 3 in service
        pic.setIrq(0, true);
        assertTrue(pic.hasInterrupt());                    // 0 nests over 3
        assertEquals(0x30, pic.acknowledge());
        out(0x20, 0x20);                                   // ends 0 (highest in service)
        assertEquals(0x08, isr(0x20));
        out(0x20, 0x63);                                   // specific EOI for 3
        assertEquals(0x35, pic.acknowledge());
    }

    @Test
    void levelTriggeredLineFromElcrStaysRequestedWhileHigh() {
        out(0x4D1, 0x02);                                   // IRQ9 level
        assertEquals(0x0200, pio.read(0x4D0, 2));
        pic.setIrq(9, true);
        assertEquals(0x39, pic.acknowledge());
        out(0xA0, 0x20); out(0x20, 0x20);
        assertTrue(pic.hasInterrupt());                    // still high: requested again
        assertEquals(0x39, pic.acknowledge());
        pic.setIrq(9, false);
        out(0xA0, 0x20); out(0x20, 0x20);
        assertFalse(pic.hasInterrupt());
        out(0x4D0, 0x07);                                   // IRQ0-2 cannot be level (ELCR mask)
        assertEquals(0, pio.read(0x4D0, 1));
    }

    @Test
    void lineDroppedBeforeIntaGivesSpuriousIrq7WithoutIsr() {
        out(0x4D0, 0x10);                                   // IRQ4 level
        pic.setIrq(4, true);
        assertTrue(pic.hasInterrupt());
        pic.setIrq(4, false);
        assertEquals(0x37, pic.acknowledge());
        assertEquals(0, isr(0x20));
    }

    @Test
    void slaveRequestGoneGivesSpuriousIrq15() {
        out(0x4D1, 0x10);                                   // IRQ12 level
        pic.setIrq(12, true);
        assertTrue(pic.hasInterrupt());
        pic.setIrq(12, false);          // the master latched IR2 (edge) before the slave dropped it
        assertEquals(0x3f, pic.acknowledge());
        assertEquals(0x04, isr(0x20));  // the master's IR2 in service (Linux EOIs it), the slave's nothing
        assertEquals(0, isr(0xA0));
    }

    @Test
    void autoEoiLeavesNothingInService() {
        out(0x20, 0x11); out(0x21, 0x30); out(0x21, 0x04); out(0x21, 0x03); // ICW4 with AEOI
        pic.setIrq(6, true);
        assertEquals(0x36, pic.acknowledge());
        assertEquals(0, isr(0x20));
    }

    @Test
    void rotateOnNonSpecificEoiMakesTheServedLineLowest() {
        pic.setIrq(1, true);
        assertEquals(0x31, pic.acknowledge());
        out(0x20, 0xa0);                                    // rotate on non-specific EOI
        assertEquals(2, pic.exportMaster().priorityAdd());
        pic.setIrq(1, false); pic.setIrq(1, true);
        pic.setIrq(3, true);
        assertEquals(0x33, pic.acknowledge());             // 3 now beats 1
        out(0x20, 0xc4);                                    // set priority: IR4 lowest, IR5 highest
        assertEquals(5, pic.exportMaster().priorityAdd());
    }

    @Test
    void pollModeReadActsAsInta() {
        pic.setIrq(5, true);
        out(0x20, 0x0c);                                    // OCW3 poll
        assertEquals(0x85, in(0x20));
        assertEquals(0x20, isr(0x20));
        out(0x20, 0x0c);
        assertEquals(0x00, in(0x20));                       // nothing: bit 7 clear
    }

    @Test
    void specialMaskModeLetsLowerPrioritiesThroughMaskedInService() {
        pic.setIrq(1, true);
        assertEquals(0x31, pic.acknowledge());
        pic.setIrq(6, true);
        assertFalse(pic.hasInterrupt());
        out(0x21, 0x02);                                    // mask IR1 (in service)
        out(0x20, 0x68);                                    // set special mask
        assertTrue(pic.hasInterrupt());
        assertEquals(0x36, pic.acknowledge());
        out(0x20, 0x48);                                    // reset special mask
        assertEquals(1, pic.exportMaster().imr() >> 1 & 1);
    }

    @Test
    void intrListenerRunsOnRisingOutput() {
        int[] calls = {0};
        pic.setIntrListener(() -> calls[0]++);
        pic.setIrq(3, true);
        pic.setIrq(4, true);
        assertEquals(1, calls[0]);
    }

    @Test
    void stateRoundTrip() {
        out(0x4D1, 0x0c);
        pic.setIrq(3, true);
        pic.acknowledge();
        pic.setIrq(10, true);
        pic.setIrq(7, true);
        out(0x21, 0x40);
        Pic8259Pair other = new Pic8259Pair();
        other.importState(pic.exportMaster(), pic.exportSlave());
        assertEquals(pic.exportMaster(), other.exportMaster());
        assertEquals(pic.exportSlave(), other.exportSlave());
        assertEquals(pic.hasInterrupt(), other.hasInterrupt());
        assertEquals(pic.acknowledge(), other.acknowledge());
    }
}
