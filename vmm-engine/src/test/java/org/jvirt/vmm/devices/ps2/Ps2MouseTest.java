package org.jvirt.vmm.devices.ps2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The PS/2 mouse's replies and packets, each expectation from QEMU's hw/input/ps2.c
 * (ps2_write_mouse, ps2_mouse_send_packet) and, for the pointer events, ui/vnc.c's
 * pointer_event (buttons first, then the motion since the last position, then one sync, which
 * ui/input.c passes on only to a handler that got an event).
 */
class Ps2MouseTest {
    private final Ps2Mouse mouse = new Ps2Mouse();
    private final PointerEvents pointer = new PointerEvents(mouse);

    private int[] drain() {
        List<Integer> out = new ArrayList<>();
        while (mouse.hasData()) out.add(mouse.read());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] command(int... bytes) {
        for (int b : bytes) mouse.write(b);
        return drain();
    }

    @Test
    void resetIdentifyAndStatus() {
        assertArrayEquals(new int[] {0xFA, 0xAA, 0x00}, command(0xFF));
        assertArrayEquals(new int[] {0xFA, 0x00}, command(0xF2));
        // status: E9 -> ACK, status byte (reporting 0x20, remote 0x40, 2:1 0x10), resolution, rate
        assertArrayEquals(new int[] {0xFA, 0x00, 0x02, 100}, command(0xE9));
        assertArrayEquals(new int[] {0xFA, 0xFA, 0xFA, 0xFA, 0xFA}, command(0xE8, 0x03, 0xF3, 40, 0xE7));
        assertArrayEquals(new int[] {0xFA, 0xFA}, command(0xF4, 0xF0));
        assertArrayEquals(new int[] {0xFA, 0x70, 0x03, 40}, command(0xE9));
        assertArrayEquals(new int[] {0xFA, 0xFA, 0xFA}, command(0xE6, 0xEA, 0xF5));
        assertArrayEquals(new int[] {0xFA, 0x00, 0x03, 40}, command(0xE9));
        assertArrayEquals(new int[] {0xFA}, command(0xF6));
        assertArrayEquals(new int[] {0xFA, 0x00, 0x02, 100}, command(0xE9));
        assertArrayEquals(new int[0], command(0x42), "unknown commands get no reply");
    }

    @Test
    void intelliMouseKnocks() {
        command(0xF3, 200, 0xF3, 100, 0xF3, 80);
        assertArrayEquals(new int[] {0xFA, 0x03}, command(0xF2));
        command(0xF3, 200, 0xF3, 200, 0xF3, 80);
        assertArrayEquals(new int[] {0xFA, 0x04}, command(0xF2));
        command(0xFF);
        command(0xF3, 200, 0xF3, 80, 0xF3, 100);
        assertArrayEquals(new int[] {0xFA, 0x00}, command(0xF2), "a wrong order knocks nothing");
    }

    @Test
    void wrapModeEchoes() {
        assertArrayEquals(new int[] {0xFA, 0x42, 0xF2, 0xFA}, command(0xEE, 0x42, 0xF2, 0xEC));
        assertArrayEquals(new int[] {0xFA, 0x00}, command(0xF2));
    }

    @Test
    void threeBytePacketsWithSignsAndButtons() {
        command(0xF4);
        pointer.event(100, 100, 0);                   // places the pointer: QEMU queues no event, so no sync and no packet
        assertArrayEquals(new int[0], drain());
        pointer.event(100, 100, 0);                   // now a zero move is queued: an empty packet
        assertArrayEquals(new int[] {0x08, 0x00, 0x00}, drain());
        pointer.event(105, 97, 0);                    // right 5, up 3: y is up-positive in the packet
        assertArrayEquals(new int[] {0x08, 0x05, 0x03}, drain());
        pointer.event(98, 100, 1);                    // left down, left 7, down 3: both signs
        assertArrayEquals(new int[] {0x39, 0xF9, 0xFD}, drain());
        pointer.event(98, 100, 6);                    // RFB middle (2) + right (4) -> PS/2 bits 2 and 1
        assertArrayEquals(new int[] {0x0E, 0x00, 0x00}, drain());
        pointer.event(98, 100, 8 | 6);                // the wheel without id 3: dropped
        assertArrayEquals(new int[] {0x0E, 0x00, 0x00}, drain());
    }

    @Test
    void aFirstEventThatPressesAButtonSyncs() {
        command(0xF4);
        pointer.event(40, 40, 1);                     // a button event is queued: one packet, no motion
        assertArrayEquals(new int[] {0x09, 0x00, 0x00}, drain());
    }

    @Test
    void largeMovesSplitIntoClampedPackets() {
        command(0xF4);
        pointer.event(0, 0, 0);
        drain();
        pointer.event(300, -200, 0);                  // 127 + 127 + 46 right; 127 + 73 up
        assertArrayEquals(new int[] {0x08, 0x7F, 0x7F, 0x08, 0x7F, 0x49, 0x08, 0x2E, 0x00}, drain());
        pointer.event(0, 0, 0);                       // -127, -127, -46 and down
        assertArrayEquals(new int[] {0x38, 0x81, 0x81, 0x38, 0x81, 0xB7, 0x18, 0xD2, 0x00}, drain());
    }

    @Test
    void fullQueueKeepsTheRestForLater() {
        command(0xF4);
        pointer.event(0, 0, 0);
        drain();
        pointer.event(127 * 7, 0, 0);                 // 7 packets' worth; 5 fit in 16 bytes
        assertEquals(15, drain().length);
        pointer.event(127 * 7, 0, 0);                 // no new motion: the remaining two go now
        assertArrayEquals(new int[] {0x08, 0x7F, 0x00, 0x08, 0x7F, 0x00}, drain());
    }

    @Test
    void wheelPacketsForIntelliMice() {
        command(0xF3, 200, 0xF3, 100, 0xF3, 80, 0xF4);
        pointer.event(10, 10, 0);
        assertArrayEquals(new int[0], drain());
        pointer.event(10, 10, 8);                     // wheel up: -1
        assertArrayEquals(new int[] {0x08, 0x00, 0x00, 0xFF}, drain());
        pointer.event(10, 10, 0);
        pointer.event(10, 10, 16);                    // wheel down: +1
        assertArrayEquals(new int[] {0x08, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x01}, drain());
        command(0xF3, 200, 0xF3, 200, 0xF3, 80);      // id 4: the wheel in the low nibble
        pointer.event(10, 10, 0);
        pointer.event(10, 10, 8);
        assertArrayEquals(new int[] {0x08, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x0F}, drain());
    }

    @Test
    void nothingWhileReportingIsOffAndRemoteModeWaitsForReadData() {
        pointer.event(0, 0, 0);
        pointer.event(50, 50, 1);
        assertArrayEquals(new int[0], drain());
        command(0xF4, 0xF0);
        pointer.event(60, 40, 1);                     // recorded, not sent; the press came while off: lost, as in QEMU
        assertArrayEquals(new int[0], drain());
        assertArrayEquals(new int[] {0xFA, 0x08, 0x0A, 0x0A}, command(0xEB));
        assertArrayEquals(new int[] {0xFA, 0x08, 0x00, 0x00}, command(0xEB));
    }

    @Test
    void stateRoundTrip() throws Exception {
        command(0xF3, 200, 0xF3, 100, 0xF3, 80, 0xF4, 0xE8);
        pointer.event(0, 0, 0);
        pointer.event(0, 0, 0);
        pointer.event(5, 5, 1);                       // two packets queued, E8 waits for its parameter
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        mouse.saveState(new DataOutputStream(b));
        Ps2Mouse copy = new Ps2Mouse();
        copy.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertEquals(3, copy.type());
        List<Integer> out = new ArrayList<>();
        while (copy.hasData()) out.add(copy.read());
        assertEquals(List.of(0x08, 0x00, 0x00, 0x00, 0x29, 0x05, 0xFB, 0x00), out);
        copy.write(0x01);
        assertEquals(0xFA, copy.read());
        assertFalse(copy.hasData());
    }
}
