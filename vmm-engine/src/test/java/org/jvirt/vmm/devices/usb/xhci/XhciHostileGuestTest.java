package org.jvirt.vmm.devices.usb.xhci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.usb.hid.HidKind;
import org.jvirt.vmm.devices.usb.hid.UsbHid;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A guest that hands the xHCI bad addresses, sizes and rings: each gets QEMU's answer (Host
 * Controller Error, a TRB error or stall completion, or nothing), no exception leaves the
 * device, and a sane command afterwards still completes.
 */
class XhciHostileGuestTest {
    private static final int MEM = 1 << 20;
    private static final long DCBAA = 0x10000, CMD = 0x11000, EVENTS = 0x12000, ERST = 0x13000, ICTX = 0x14000, OCTX = 0x15000,
            EP0 = 0x16000, DATA = 0x17000;
    private static final int OP = 0x40, RT = 0x1000, DB = 0x2000, EV_TRBS = 16;

    private HeapGuestMemory mem;
    private XhciController x;
    private final List<long[]> msi = new ArrayList<>();
    private int cmdIdx, evIdx;
    private boolean evCycle = true;

    @BeforeEach
    void setUp() {
        mem = new HeapGuestMemory(MEM);
        x = new XhciController(mem, (a, d) -> msi.add(new long[] {a, d}), 4, false);
        x.attach(1, new UsbHid(HidKind.TABLET, "0000:00:04.0", "1"));
        x.config().write(PciConfigSpace.COMMAND, 2, PciConfigSpace.CMD_MEMORY | PciConfigSpace.CMD_BUS_MASTER);
    }

    private void w(int off, long v) { x.write(off, 4, v & 0xFFFF_FFFFL); }
    private long r(int off) { return x.read(off, 4); }

    /** The usual set-up: DCBAA, command ring, a 16-TRB event ring; then run. */
    private void start(int erstSize, long segment, int segmentTrbs) {
        mem.writeInt(ERST, (int) segment);
        mem.writeInt(ERST + 4, (int) (segment >>> 32));
        mem.writeInt(ERST + 8, segmentTrbs);
        w(OP + 0x38, 8);
        w(OP + 0x30, DCBAA);
        mem.writeLong(DCBAA + 8, OCTX);
        w(OP + 0x18, CMD | 1);
        w(OP + 0x1c, 0);
        w(RT + 0x28, erstSize);
        w(RT + 0x38, segment);
        w(RT + 0x3c, segment >>> 32);
        w(RT + 0x30, ERST);
        w(RT + 0x34, 0);
        w(OP, 1);
    }

    private void command(long param, int status, int control) {
        long t = CMD + 16L * cmdIdx++;
        mem.writeLong(t, param);
        mem.writeInt(t + 8, status);
        mem.writeInt(t + 12, control | 1);
        w(DB, 0);
    }

    /** The next event's completion code and type, or -1 when none was written. */
    private int[] event() {
        long e = EVENTS + 16L * evIdx;
        int c = mem.readInt(e + 12);
        if (((c & 1) != 0) != evCycle) return null;
        evIdx++;
        w(RT + 0x38, (EVENTS + 16L * evIdx) | 8);
        return new int[] {mem.readInt(e + 8) >>> 24, (c >>> 10) & 0x3f, c >>> 24};
    }

    private void assertAlive() {
        assertEquals(0x01000040L, r(0), "capability registers still answer");
    }

    @Test
    void erstSizeOtherThanOneIsHostControllerError() {
        start(2, EVENTS, EV_TRBS);
        assertTrue(x.hostControllerError());
        assertAlive();
    }

    @Test
    void segmentSizesOutsideQemusRangeAreHostControllerError() {
        for (int size : new int[] {0, 15, 4097, 0x7fffffff, -1}) {
            setUp();
            start(1, EVENTS, size);
            assertTrue(x.hostControllerError(), "segment of " + size + " TRBs");
            assertTrue((r(OP + 4) & (1 << 12)) != 0, "USBSTS.HCE");
        }
    }

    @Test
    void erstOutsideRamIsHostControllerError() {
        w(RT + 0x28, 1);
        w(RT + 0x30, 0xffffffc0L);
        w(RT + 0x34, 0x7fff);
        assertTrue(x.hostControllerError());
        assertAlive();
    }

    @Test
    void eventRingOutsideRamDiesOnTheFirstEvent() {
        start(1, 0x7fff_0000_0000L, EV_TRBS);
        assertFalse(x.hostControllerError());
        command(0, 0, 23 << 10);
        assertTrue(x.hostControllerError());
    }

    @Test
    void eventBeforeAnyEventRingIsHostControllerError() {
        w(OP + 0x18, CMD | 1);
        w(OP + 0x1c, 0);
        w(OP, 1);
        command(0, 0, 23 << 10);
        assertTrue(x.hostControllerError());
    }

    @Test
    void commandRingOutsideRamRunsNothing() {
        start(1, EVENTS, EV_TRBS);
        w(OP + 0x18, 0xfffff000L | 1);
        w(OP + 0x1c, 0x10);
        w(DB, 0);
        assertEquals(null, event());
        assertFalse(x.hostControllerError());
        w(OP + 0x18, CMD | 1); // a sane ring again: a No-Op completes
        w(OP + 0x1c, 0);
        command(0, 0, 23 << 10);
        assertEquals(1, event()[0]);
    }

    @Test
    void linkTrbLoopEnds() {
        start(1, EVENTS, EV_TRBS);
        mem.writeLong(CMD, CMD);
        mem.writeInt(CMD + 12, 6 << 10 | 1); // a link to itself, without toggling the cycle
        w(DB, 0);
        assertEquals(null, event());
        assertAlive();
    }

    @Test
    void contextsOutsideRamFailTheCommand() {
        start(1, EVENTS, EV_TRBS);
        command(0, 0, 9 << 10); // enable slot
        int[] e = event();
        assertEquals(1, e[0]);
        assertEquals(1, e[2]);
        command(0x7ff0_0000_0000L, 0, 11 << 10 | 1 << 24); // address device: input context outside RAM
        assertEquals(5, event()[0]);
        command(0x7ff0_0000_0000L, 0, 12 << 10 | 1 << 24); // configure endpoint
        assertEquals(5, event()[0]);
        command(0x7ff0_0000_0000L, 0, 13 << 10 | 1 << 24); // evaluate context
        assertEquals(5, event()[0]);
        command(0, 0, 14 << 10 | 1 << 24 | 40 << 16); // reset endpoint: EP id out of range (masked to 8: not enabled)
        assertEquals(12, event()[0]);
        command(0, 0, 10 << 10 | 200 << 24); // disable slot 200
        assertEquals(5, event()[0]);
        command(0, 0, 21 << 10); // get port bandwidth into address 0: fine; then outside RAM
        assertEquals(1, event()[0]);
        command(0x7ff0_0000_0000L, 0, 21 << 10);
        assertEquals(5, event()[0]);
        assertFalse(x.hostControllerError());
    }

    /** Slot 1 addressed with EP0's ring at EP0; returns nothing, asserts success. */
    private void addressDevice() {
        start(1, EVENTS, EV_TRBS);
        command(0, 0, 9 << 10);
        event();
        mem.writeInt(ICTX + 4, 3);
        mem.writeInt(ICTX + 32, 1 << 27 | 3 << 20);
        mem.writeInt(ICTX + 36, 5 << 16); // port 5: the first USB 2 port
        mem.writeInt(ICTX + 64 + 4, 3 << 1 | 4 << 3 | 64 << 16);
        mem.writeInt(ICTX + 64 + 8, (int) EP0 | 1);
        command(ICTX, 0, 11 << 10 | 1 << 24);
        assertEquals(1, event()[0]);
    }

    private void trb(long at, long param, int status, int control) {
        mem.writeLong(at, param);
        mem.writeInt(at + 8, status);
        mem.writeInt(at + 12, control | 1);
    }

    @Test
    void hugeDataStageOutsideRamIsHostControllerError() {
        addressDevice();
        trb(EP0, 0x80 | 6 << 8 | 0x0100 << 16 | 0xffffL << 48, 8, 2 << 10 | 1 << 6 | 3 << 16);
        trb(EP0 + 16, 0x7fff_ffff_0000L, 0x1ffff, 3 << 10 | 1 << 16 | 1 << 5);
        trb(EP0 + 32, 0, 0, 4 << 10 | 1 << 5);
        w(DB + 4, 1);
        assertTrue(x.hostControllerError());
        assertAlive();
    }

    @Test
    void lengthOverQemusControlBufferStalls() {
        addressDevice();
        trb(EP0, 0x80 | 6 << 8 | 0x0100 << 16 | 0xffffL << 48, 8, 2 << 10 | 1 << 6 | 3 << 16);
        trb(EP0 + 16, DATA, 0x1ffff, 3 << 10 | 1 << 16 | 1 << 5);
        trb(EP0 + 32, 0, 0, 4 << 10 | 1 << 5);
        w(DB + 4, 1);
        int[] e = event();
        assertEquals(6, e[0], "stall");
        assertEquals(32, e[1], "transfer event");
        assertFalse(x.hostControllerError());
        // the endpoint is halted: a doorbell runs nothing until it is reset
        w(DB + 4, 1);
        assertEquals(null, event());
        command(0, 0, 14 << 10 | 1 << 24 | 1 << 16);
        assertEquals(1, event()[0]);
    }

    @Test
    void setupWithoutImmediateDataIsDropped() {
        addressDevice();
        trb(EP0, DATA, 8, 2 << 10 | 3 << 16); // no IDT
        trb(EP0 + 16, DATA, 18, 3 << 10 | 1 << 16);
        trb(EP0 + 32, 0, 0, 4 << 10 | 1 << 5);
        w(DB + 4, 1);
        assertEquals(null, event());
        assertFalse(x.hostControllerError());
    }

    @Test
    void badDoorbellsAndRegisterAccessesAreIgnored() {
        start(1, EVENTS, EV_TRBS);
        w(DB + 4 * 65, 1);           // past the slots
        w(DB + 4, 0);                // endpoint 0
        w(DB + 4, 32);               // endpoint 32
        w(DB + 4 * 3, 1);            // a slot not enabled
        x.write(OP + 2, 1, 0xff);    // a byte write to the operational registers
        x.write(0x3ffc, 4, 0xffffffffL);
        x.write(0x7000, 4, 1);       // past the BAR
        assertEquals(0, x.read(0x7000, 4));
        assertEquals(null, event());
        assertFalse(x.hostControllerError());
        assertAlive();
    }

    @Test
    void dmaWithoutBusMasteringIsRefused() {
        x.config().write(PciConfigSpace.COMMAND, 2, PciConfigSpace.CMD_MEMORY);
        mem.writeInt(ERST, (int) EVENTS);
        mem.writeInt(ERST + 8, EV_TRBS);
        w(RT + 0x28, 1);
        w(RT + 0x30, ERST);
        w(RT + 0x34, 0);
        assertTrue(x.hostControllerError(), "the ERST cannot be read without bus mastering");
    }
}
