package org.jvirt.vmm.devices.i8042;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

class I8042Test {

    final AtomicInteger resets = new AtomicInteger();
    final RecordingInterruptLine irq1 = new RecordingInterruptLine();
    final RecordingInterruptLine irq12 = new RecordingInterruptLine();
    final I8042 kbc = new I8042(irq1, irq12, resets::incrementAndGet);
    final IoBus pio = new IoBus("pio");

    I8042Test() {
        pio.register(0x60, 1, kbc.dataPort());
        pio.register(0x64, 1, kbc.commandPort());
    }

    int status() { return (int) pio.read(0x64, 1); }
    int data() { return (int) pio.read(0x60, 1); }
    void cmd(int c) { pio.write(0x64, 1, c); }
    void dat(int d) { pio.write(0x60, 1, d); }

    @Test
    void selfTestAndCommandByte() {
        assertEquals(0, status() & 0x01, "output buffer empty at power-on");
        assertFalse(pio.isClaimed(0x61), "0x61 stays free for the PIT/speaker port");
        cmd(0xAA);
        assertEquals(0x01, status() & 0x01);
        assertEquals(0x55, data());
        assertEquals(0x04, status() & 0x04, "system flag after self-test");
        cmd(0x20);
        int ctr = data();
        assertEquals(0x45, ctr);
        cmd(0x60);
        dat(0x56);
        cmd(0x20);
        assertEquals(0x56 & 0x77, data());
        assertEquals(0, resets.get());
    }

    @Test
    void resetByPulseCommandAndByOutputPort() {
        cmd(0xFE);
        assertEquals(1, resets.get());
        cmd(0xFF); // pulses nothing
        assertEquals(1, resets.get());
        cmd(0xD1);
        dat(0x03);
        assertEquals(1, resets.get());
        cmd(0xD1);
        dat(0x02);
        assertEquals(2, resets.get());
    }

    @Test
    void keyboardAcksAndIdentifiesWithIrq1() {
        dat(0xF2);
        assertTrue(irq1.level());
        assertEquals(0xFA, data());
        assertEquals(0xAB, data());
        assertEquals(0x41, data(), "translated MF2 id");
        assertFalse(irq1.level());
        assertEquals(0, status() & 0x01);
        dat(0xFF);
        assertEquals(0xFA, data());
        assertEquals(0xAA, data());
        dat(0xED);
        dat(0x07);
        assertEquals(0xFA, data());
        assertEquals(0xFA, data());
    }

    @Test
    void auxLoopbackAndMouseReset() {
        cmd(0x60);
        dat(0x47); // enable AUX interrupts too
        cmd(0xD3);
        dat(0x5A);
        assertEquals(0x21, status() & 0x21, "AUX output buffer full");
        assertTrue(irq12.level());
        assertFalse(irq1.level());
        assertEquals(0x5A, data());
        assertFalse(irq12.level());
        cmd(0xD4);
        dat(0xFF); // QEMU's ps2 mouse reset: ACK, self-test passed, id 0
        for (int b : new int[] {0xFA, 0xAA, 0x00}) {
            assertEquals(0x21, status() & 0x61, "AUX byte, no time-out");
            assertTrue(irq12.level());
            assertEquals(b, data());
        }
        assertFalse(irq12.level());
        cmd(0xA7);
        cmd(0x20);
        assertEquals(0x20, data() & 0x20);
        cmd(0xA8);
        cmd(0x20);
        assertEquals(0, data() & 0x20);
    }

    @Test
    void singleRangeRegistration() {
        IoBus bus = new IoBus("pio1");
        I8042 k = new I8042(null, null, resets::incrementAndGet);
        bus.register(0x60, 5, k);
        bus.write(0x64, 1, 0xAA);
        assertEquals(0x55, bus.read(0x60, 1));
        assertEquals(0xFF, bus.read(0x61, 1));
        bus.write(0x64, 1, 0xFE);
        assertEquals(1, resets.get());
    }

    @Test
    void snapshotRoundTrip() throws Exception {
        cmd(0x60);
        dat(0x47);
        dat(0xF2);
        data();
        cmd(0xDD);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        kbc.saveState(new DataOutputStream(b));
        RecordingInterruptLine line = new RecordingInterruptLine();
        I8042 copy = new I8042(line, null, () -> { });
        copy.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertTrue(line.level());
        assertFalse(copy.a20Enabled());
        assertEquals(status(), copy.commandPort().read(0, 1));
        assertEquals(0xAB, copy.dataPort().read(0, 1));
        assertEquals(0x41, copy.dataPort().read(0, 1));
        copy.commandPort().write(0, 1, 0x20);
        assertEquals(0x47, copy.dataPort().read(0, 1));
    }

    @Test
    void everyByteIsANewEdge() {
        dat(0xF2); // FA AB 41: Linux's handler reads one byte per interrupt, so each needs its own edge
        for (int i = 0; i < 3; i++) data();
        assertEquals(3, irq1.risingEdges());
        assertFalse(irq1.level());
    }

    @Test
    void versionOneStateStillLoads() throws Exception {
        // jvirt's first stream: ctr, output port, last data, pending command, pending keyboard
        // command, last write was a command, then the queue (byte | 0x100 AUX | 0x200 time-out)
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeByte(0x47);
        o.writeByte(0x01); // A20 off
        o.writeByte(0x00);
        o.writeByte(0x00);
        o.writeByte(0xED); // the keyboard waits for the LED byte
        o.writeBoolean(false);
        o.writeByte(3);
        o.writeShort(0xFA);
        o.writeShort(0xAB);
        o.writeShort(0x15A | 0x100);
        RecordingInterruptLine line = new RecordingInterruptLine();
        I8042 old = new I8042(line, null, () -> { });
        old.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())), 1);
        assertTrue(line.level());
        assertFalse(old.a20Enabled());
        assertEquals(0xFA, old.dataPort().read(0, 1));
        assertEquals(0xAB, old.dataPort().read(0, 1));
        assertEquals(0x21, old.commandPort().read(0, 1) & 0x21, "the AUX byte comes from the mouse");
        assertEquals(0x5A, old.dataPort().read(0, 1));
        old.dataPort().write(0, 1, 0x02); // the LED byte
        assertEquals(0xFA, old.dataPort().read(0, 1));
        assertEquals(0, old.commandPort().read(0, 1) & 0x01);
    }

    @Test
    void disabledPortsHoldTheirBytesBack() {
        cmd(0xAD);
        kbc.input().key(0x1E, true);
        assertEquals(0, status() & 0x01, "keyboard port disabled: nothing delivered");
        assertFalse(irq1.level());
        cmd(0xAE);
        assertEquals(0x01, status() & 0x21);
        assertTrue(irq1.level());
        assertEquals(0x1E, data());
    }

    @Test
    void pointerEventsBecomeMousePacketsOnIrq12() {
        cmd(0x60);
        dat(0x47);
        cmd(0xD4);
        dat(0xF4);
        assertEquals(0xFA, data());
        kbc.input().pointer(10, 10, 0, 640, 480);     // places the pointer: no packet (QEMU routes no event)
        kbc.input().pointer(13, 8, 1, 640, 480);
        for (int b : new int[] {0x09, 0x03, 0x02}) {
            assertTrue(irq12.level());
            assertEquals(0x21, status() & 0x21);
            assertEquals(b, data());
        }
        assertFalse(irq12.level());
    }

    @Test
    void hostileStateIsRefusedWithAnIoException() {
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[rnd.nextInt(80)];
            rnd.nextBytes(junk);
            I8042 k = new I8042(new RecordingInterruptLine(), new RecordingInterruptLine(), () -> { });
            int version = 1 + rnd.nextInt(2);
            try {
                k.loadState(new DataInputStream(new ByteArrayInputStream(junk)), version);
            } catch (java.io.IOException expected) {
                continue; // EOF or a refused value
            }
            // whatever loaded is a working controller: reads, commands and input never throw
            for (int j = 0; j < 40; j++) {
                k.dataPort().read(0, 1);
                k.commandPort().read(0, 1);
                k.dataPort().write(0, 1, rnd.nextInt(256));
                k.input().key(rnd.nextInt(300) - 20, rnd.nextBoolean());
                k.input().pointer(rnd.nextInt(), rnd.nextInt(), rnd.nextInt(32), 640, 480);
            }
        }
    }

    @Test
    void randomInputAndPortTrafficKeepsTheQueuesBounded() {
        java.util.Random rnd = new java.util.Random(11);
        cmd(0x60);
        dat(0x47);
        cmd(0xD4);
        dat(0xF4);
        for (int i = 0; i < 200_000; i++) {
            switch (rnd.nextInt(6)) {
                case 0 -> kbc.input().key(rnd.nextInt(260), rnd.nextBoolean());
                case 1 -> kbc.input().pointer(rnd.nextInt(4000) - 2000, rnd.nextInt(4000) - 2000, rnd.nextInt(32), 640, 480);
                case 2 -> data();
                case 3 -> dat(rnd.nextInt(256));
                case 4 -> { cmd(0xD4); dat(rnd.nextInt(256)); }
                default -> status();
            }
        }
        // drained, nothing is left beyond the two 16-byte queues and the output buffer
        int n = 0;
        while ((status() & 0x01) != 0 && n < 100) { data(); n++; }
        assertTrue(n <= 33, n + " bytes were still queued");
    }

    @Test
    void resetReturnsToPowerOn() {
        cmd(0x60);
        dat(0x00);
        dat(0xF2);
        cmd(0xDD);
        assertTrue(status() % 2 == 1);
        kbc.reset();
        assertEquals(0, status() & 0x01, "output buffer emptied");
        assertFalse(irq1.level());
        assertTrue(kbc.a20Enabled());
        cmd(0x20);
        assertEquals(0x45, data());
    }

    @Test
    void ctrlAltDelAsTranslatedAndRawScancodes() {
        int[] keys = {0x1D, 0x38, 0xD3}; // qnums: left Ctrl, left Alt, Delete (E0 53)
        for (int k : keys) kbc.input().key(k, true);
        for (int i = keys.length - 1; i >= 0; i--) kbc.input().key(keys[i], false);
        assertTrue(irq1.level());
        // set 2 (14, 11, E0 71, E0 F0 71, F0 11, F0 14) through the 8042's translation: set 1
        int[] expected = {0x1D, 0x38, 0xE0, 0x53, 0xE0, 0xD3, 0xB8, 0x9D};
        for (int b : expected) assertEquals(b, data());
        assertFalse(irq1.level());
        cmd(0x60);
        dat(0x05); // translation off
        for (int k : keys) kbc.input().key(k, true);
        for (int b : new int[] {0x14, 0x11, 0xE0, 0x71}) assertEquals(b, data());
    }
}
