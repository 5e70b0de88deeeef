package org.jvirt.vmm.devices.serial;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

class Uart16550Test {

    static final int THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

    final RecordingInterruptLine irq = new RecordingInterruptLine();
    final InMemorySerialBackend backend = new InMemorySerialBackend();
    final Uart16550 uart = new Uart16550(irq, backend);

    int in(int reg) { return (int) uart.read(reg, 1); }
    void out(int reg, int v) { uart.write(reg, 1, v); }

    @Test
    void linux8250ProbeSeesA16550A() {
        // scratch-like IER test from autoconfig()
        out(IER, 0);
        assertEquals(0, in(IER) & 0x0F);
        out(IER, 0x0F);
        assertEquals(0x0F, in(IER) & 0x0F);
        out(IER, 0);
        // loopback test: MCR = LOOP|OUT2|RTS -> MSR status must be DCD|CTS
        out(MCR, 0x1A);
        assertEquals(0x90, in(MSR) & 0xF0);
        out(MCR, 0);
        // FIFO probe: FCR enable -> IIR bits 7:6 = 11; no 64-byte FIFO (bit 5 stays 0)
        out(LCR, 0);
        out(FCR, 0x01);
        assertEquals(3, in(IIR) >> 6);
        out(FCR, 0x21);
        assertEquals(6, in(IIR) >> 5);
        // IER upper bits (XScale UUE) do not stick
        out(IER, 0x40);
        assertEquals(0, in(IER) & 0x40);
        // scratch register
        out(SCR, 0xA5);
        assertEquals(0xA5, in(SCR));
        assertEquals(0x01, in(IIR) & 0x0F, "no interrupt pending");
    }

    @Test
    void dlabSelectsDivisorLatch() {
        out(LCR, 0x83);
        out(THR, 0x01);
        out(IER, 0x00);
        assertEquals(0x01, in(THR));
        assertEquals(0x00, in(IER));
        out(LCR, 0x03);
        out(THR, 'x');
        assertEquals("x", backend.output());
        assertEquals(0, in(IER));
    }

    @Test
    void transmitGoesToBackendAndLsrShowsEmpty() {
        for (char c : "hi\n".toCharArray()) {
            assertEquals(0x60, in(LSR) & 0x60);
            out(THR, c);
        }
        assertEquals("hi\n", backend.output());
    }

    @Test
    void thrInterruptRaisedOnEnableAndClearedByIirRead() {
        out(MCR, 0x08); // OUT2 gates the IRQ
        assertFalse(irq.level());
        out(IER, 0x02);
        assertTrue(irq.level());
        assertEquals(0x02, in(IIR) & 0x0F);
        assertFalse(irq.level(), "reading IIR acknowledges THRE");
        assertEquals(0x01, in(IIR) & 0x0F);
        out(THR, 'a');
        assertTrue(irq.level(), "THR empties immediately, raising THRE again");
        assertEquals(2, irq.risingEdges());
    }

    @Test
    void out2GatesTheInterruptLine() {
        out(IER, 0x02);
        assertFalse(irq.level());
        out(MCR, 0x08);
        assertTrue(irq.level());
    }

    @Test
    void receiveRaisesRdaWithPriorityOverThre() {
        out(MCR, 0x08);
        out(IER, 0x03);
        assertEquals(3, uart.receive("ok\n".getBytes(StandardCharsets.US_ASCII), 0, 3));
        assertTrue(irq.level());
        assertEquals(0x04, in(IIR) & 0x0F, "RDA outranks THRE");
        StringBuilder got = new StringBuilder();
        while ((in(LSR) & 0x01) != 0) got.append((char) in(THR));
        assertEquals("ok\n", got.toString());
        assertEquals(0x02, in(IIR) & 0x0F, "THRE next");
        assertEquals(0x01, in(IIR) & 0x0F);
        assertFalse(irq.level());
    }

    @Test
    void loopbackSendsToOwnFifoAndOverruns() {
        out(MCR, 0x10);
        out(THR, 'q');
        assertEquals("", backend.output());
        assertEquals(0x01, in(LSR) & 0x01);
        out(THR, 'r'); // FIFO disabled: 1-byte holding register overruns
        out(IER, 0x04);
        assertEquals(0x06, in(IIR) & 0x0F, "receiver line status has top priority");
        assertEquals(0x02, in(LSR) & 0x02);
        assertEquals(0, in(LSR) & 0x02, "error bits clear on read");
        assertEquals('q', in(THR));
    }

    @Test
    void loopbackModemDeltasAndNoExternalInterrupt() {
        out(MCR, 0x18); // loop + OUT2
        in(MSR); // entering loopback dropped CTS/DSR: clear those deltas
        out(IER, 0x08);
        assertEquals(0x01, in(IIR) & 0x0F);
        out(MCR, 0x19); // DTR -> DSR changes
        assertEquals(0x00, in(IIR) & 0x0F, "modem status interrupt");
        assertFalse(irq.level(), "loopback disconnects the interrupt pin");
        int msr = in(MSR);
        assertEquals(0x02, msr & 0x0F);
        assertEquals(0xA0, msr & 0xF0);
        assertEquals(0, in(MSR) & 0x0F, "deltas clear on read");
    }

    @Test
    void fifoClearDropsOnlyTheFifoNotTheQueueBehindIt() {
        out(FCR, 0x01);
        byte[] data = new byte[40];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        assertEquals(40, uart.receive(data, 0, 40));
        out(FCR, 0x03);
        assertEquals(24, uart.pendingInput());
        assertEquals(16, in(THR));
    }

    @Test
    void inputQueueBackpressure() throws Exception {
        byte[] big = new byte[Uart16550.INPUT_QUEUE_SIZE + 10];
        assertEquals(Uart16550.INPUT_QUEUE_SIZE, uart.receive(big, 0, big.length));
        assertEquals(0, uart.receive(big, 0, 1));
        Thread reader = new Thread(() -> { for (int i = 0; i < 20; i++) in(THR); });
        Thread writer = new Thread(() -> {
            try { uart.receiveFully(big, 0, 10); } catch (InterruptedException e) { throw new RuntimeException(e); }
        });
        writer.start();
        reader.start();
        writer.join(5000);
        reader.join(5000);
        assertFalse(writer.isAlive());
        assertEquals(Uart16550.INPUT_QUEUE_SIZE - 10, uart.pendingInput());
    }

    @Test
    void snapshotRoundTrip() throws Exception {
        out(LCR, 0x83); out(THR, 3); out(LCR, 0x1B);
        out(FCR, 0xC1); out(MCR, 0x0B); out(SCR, 0x5A); out(IER, 0x07);
        uart.receive(new byte[] {'a', 'b'}, 0, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        uart.saveState(new DataOutputStream(bytes));

        RecordingInterruptLine irq2 = new RecordingInterruptLine();
        Uart16550 copy = new Uart16550(irq2, new InMemorySerialBackend());
        copy.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(irq2.level(), "pending RDA re-raised after restore");
        for (int reg : new int[] {LCR, MCR, SCR, IER}) assertEquals(in(reg), (int) copy.read(reg, 1), "reg " + reg);
        assertEquals(in(IIR), (int) copy.read(IIR, 1));
        assertEquals('a', (int) copy.read(THR, 1));
        assertEquals('b', (int) copy.read(THR, 1));
        copy.write(LCR, 1, 0x9B);
        assertEquals(3, copy.read(THR, 1));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        Uart16550 third = new Uart16550(new RecordingInterruptLine(), new InMemorySerialBackend());
        third.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        third.saveState(new DataOutputStream(again));
        assertArrayEquals(bytes.toByteArray(), again.toByteArray());
    }

    @Test
    void inMemoryBackendWaitsForText() throws Exception {
        assertFalse(backend.awaitOutput("login:", Duration.ofMillis(20)));
        Thread t = new Thread(() -> { for (char c : "welcome\nlogin: ".toCharArray()) out(THR, c); });
        t.start();
        assertTrue(backend.awaitOutput("login:", Duration.ofSeconds(5)));
        t.join();
        backend.type("root\n");
        assertEquals(5, uart.pendingInput());
    }

    @Test
    void resetReturnsToPowerOn() {
        out(MCR, 0x08);
        out(IER, 0x03);
        out(FCR, 0x01);
        uart.receive(new byte[] {1, 2, 3}, 0, 3);
        assertTrue(irq.level());
        uart.reset();
        assertFalse(irq.level());
        assertEquals(0, in(IER));
        assertEquals(0, in(MCR));
        assertEquals(0x01, in(IIR), "no interrupt, FIFOs off");
        assertEquals(0x03, in(LCR), "8N1 as firmware leaves it");
        assertEquals(0, uart.pendingInput(), "the 1-16 byte FIFO is emptied; here everything was in it");
    }

    @Test
    void linuxSubtypeProbesDoNotMistakeItForAnotherChip() {
        out(LCR, 0xBF);
        out(FCR, 0); // the "EFR" write of autoconfig lands in FCR on a plain 16550A
        out(LCR, 0);
        out(FCR, 0x01);
        assertEquals(3, in(IIR) >> 6);
        // EFR probes: with LCR 0x80 or 0xBF the register at offset 2 reads IIR, never 0
        out(LCR, 0x80);
        assertNotEquals(0, in(IIR));
        out(LCR, 0xBF);
        assertNotEquals(0, in(IIR));
        // National Semiconductor SuperIO probe: toggling MCR.LOOP must not show up at offset 2
        out(LCR, 0);
        int mcr = in(MCR);
        out(LCR, 0xE0);
        int excr1 = in(IIR);
        out(LCR, 0);
        out(MCR, mcr ^ 0x10);
        out(LCR, 0xE0);
        int excr1After = in(IIR);
        out(LCR, 0);
        out(MCR, mcr);
        assertEquals(excr1 & 0x10, excr1After & 0x10, "not a NatSemi part");
        // FIFO depth count (size_fifo): loopback at divisor 1, send 256, count what arrives
        out(FCR, 0x07);
        out(MCR, 0x10);
        out(LCR, 0x80);
        out(THR, 1);
        out(IER, 0);
        out(LCR, 0x03);
        for (int i = 0; i < 256; i++) out(THR, i);
        int count = 0;
        while ((in(LSR) & 0x01) != 0 && count < 256) { in(THR); count++; }
        assertEquals(16, count, "a 16-byte FIFO, not a 64-byte one");
        assertEquals("", backend.output(), "loopback bytes never reach the host");
    }
}
