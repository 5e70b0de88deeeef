package org.jvirt.vmm.devices.usb.xhci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.irq.InterruptLine;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.Test;

/**
 * Interrupter 0 as QEMU's xhci_intr_raise/xhci_intr_update and hcd-xhci-pci.c's intr_raise: with
 * IMAN.IE and USBCMD.INTE an event raises INTA (IMAN.IP, USBSTS.EINT set) until the guest clears
 * IP; with MSI-X enabled the vector's message is sent and IP cleared at once; ERDP.EHB holds off
 * a second interrupt until the guest writes it back.
 */
class XhciInterruptTest {
    private static final long CMD = 0x11000, EVENTS = 0x12000, ERST = 0x13000;
    private static final int OP = 0x40, RT = 0x1000, DB = 0x2000;

    private final HeapGuestMemory mem = new HeapGuestMemory(1 << 20);
    private final List<long[]> msi = new ArrayList<>();
    private final XhciController x = new XhciController(mem, (a, d) -> msi.add(new long[] {a, d}), 4, false);
    private final boolean[] intx = {false};
    private int cmdIdx;

    private void w(int off, long v) { x.write(off, 4, v & 0xFFFF_FFFFL); }

    private void start() {
        x.config().setInterrupt(1, 11, new InterruptLine() {
            @Override public void setLevel(boolean level) { intx[0] = level; }
        });
        x.config().write(PciConfigSpace.COMMAND, 2, PciConfigSpace.CMD_MEMORY | PciConfigSpace.CMD_BUS_MASTER);
        mem.writeInt(ERST, (int) EVENTS);
        mem.writeInt(ERST + 8, 16);
        w(OP + 0x18, CMD | 1);
        w(OP + 0x1c, 0);
        w(RT + 0x28, 1);
        w(RT + 0x38, EVENTS);
        w(RT + 0x3c, 0);
        w(RT + 0x30, ERST);
        w(RT + 0x34, 0);
        w(RT + 0x20, 2);     // IMAN.IE
        w(OP, 1 | 4);        // run, INTE
    }

    private void noop() {
        long t = CMD + 16L * cmdIdx++;
        mem.writeInt(t + 12, 23 << 10 | 1);
        w(DB, 0);
    }

    @Test
    void intxFollowsImanIpAndEhb() {
        start();
        noop();
        assertTrue(intx[0], "INTA asserted");
        assertEquals(3, x.read(RT + 0x20, 4), "IMAN: IP and IE");
        assertTrue((x.read(OP + 4, 4) & 8) != 0, "USBSTS.EINT");
        w(RT + 0x20, 3); // the guest clears IP
        assertEquals(false, intx[0]);
        noop(); // EHB still set: no new interrupt, but the event is written
        assertEquals(false, intx[0]);
        assertEquals(1, mem.readInt(EVENTS + 16 + 12) & 1, "second event written");
        w(RT + 0x38, (EVENTS + 32) | 8); // consumed both, EHB cleared
        noop();
        assertTrue(intx[0]);
        assertTrue(msi.isEmpty());
    }

    @Test
    void msixSendsTheVectorsMessage() {
        int cap = 0x90;
        assertEquals(0x11, x.config().read(cap, 1));
        x.write(0x3000, 4, 0xfee00000L);   // vector 0: address, data, unmasked
        x.write(0x3008, 4, 0x4041);
        x.write(0x300c, 4, 0);
        x.config().write(cap + 2, 2, 0x8000); // MSI-X enable
        x.configWritten(cap + 2, 2);
        start();
        noop();
        assertEquals(1, msi.size());
        assertEquals(0xfee00000L, msi.get(0)[0]);
        assertEquals(0x4041, msi.get(0)[1]);
        assertEquals(2, x.read(RT + 0x20, 4), "IP cleared at once");
        assertEquals(false, intx[0], "no INTA with MSI-X");
    }
}
