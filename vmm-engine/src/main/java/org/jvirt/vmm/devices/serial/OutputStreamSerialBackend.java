package org.jvirt.vmm.devices.serial;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Sends guest output to an OutputStream (stdout, a log file); produces no input.
 * Each byte is flushed at once so a console prompt without a newline shows up.
 * A failing stream is reported once and then ignored: a full disk must not stop the guest.
 */
public final class OutputStreamSerialBackend implements SerialBackend {

    private final OutputStream out;
    private final boolean closeStream;
    private volatile boolean failed;

    /** closeStream: whether close() closes the stream (false for System.out). */
    public OutputStreamSerialBackend(OutputStream out, boolean closeStream) {
        this.out = out;
        this.closeStream = closeStream;
    }

    @Override
    public void write(int b) {
        if (failed) return;
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            failed = true;
            System.err.println("serial output stream failed, dropping further output: " + e);
        }
    }

    @Override
    public void close() {
        if (!closeStream) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
