package org.jvirt.vmm.bus;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class MovableRangeTest {

    final IoBus bus = new IoBus("pio");
    final IoDevice device = new IoDevice() {
        @Override public long read(long offset, int size) { return 0x40 + offset; }
        @Override public void write(long offset, int size, long value) { }
    };

    @Test
    void movesUnmapsAndStaysOffAConflict() {
        MovableRange r = new MovableRange(bus, 0x40, device);
        assertEquals(-1, r.base());
        assertTrue(r.moveTo(0x600));
        assertEquals(0x48, bus.read(0x608, 1));
        assertTrue(r.moveTo(0xB000));
        assertFalse(bus.isClaimed(0x600), "the old place is free");
        assertEquals(0x44, bus.read(0xB004, 1));
        bus.register(0x700, 0x10, device);
        assertFalse(r.moveTo(0x6E0), "over another range");
        assertEquals(-1, r.base());
        assertFalse(bus.isClaimed(0xB000));
        assertFalse(r.moveTo(-1));
        assertTrue(r.moveTo(0x600));
    }
}
