package org.jvirt.vmm.devices.serial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Collects guest output in memory and lets a test wait for a string in it, or type input.
 * Output is decoded as ISO-8859-1 so every byte maps to one char (no decoder state).
 */
public final class InMemorySerialBackend implements SerialBackend {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private volatile SerialInput input;

    @Override
    public void write(int b) {
        synchronized (out) {
            out.write(b);
            out.notifyAll();
        }
    }

    @Override
    public void attach(SerialInput input) {
        this.input = input;
    }

    /** Everything the guest has transmitted so far. */
    public String output() {
        synchronized (out) {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Waits until the output contains text; returns false when timeout passes first. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (out) {
            while (!out.toString(StandardCharsets.ISO_8859_1).contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                out.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Sends text to the guest (as ISO-8859-1 bytes), waiting while the UART's queue is full. */
    public void type(String text) throws InterruptedException {
        SerialInput in = input;
        if (in == null) throw new IllegalStateException("not attached to a UART");
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        in.receiveFully(bytes, 0, bytes.length);
    }
}
