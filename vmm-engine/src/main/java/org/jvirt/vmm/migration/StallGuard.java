package org.jvirt.vmm.migration;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Bounds how long one write of the migration stream may block: a link that went down (or a
 * destination that stopped reading) would otherwise leave the sender in write(2) while TCP
 * retransmits for many minutes (QEMU hangs there). Java sockets have no write timeout, so a
 * watchdog thread closes the socket once a write has made no progress for {@code timeoutMs};
 * the blocked write then fails and {@link #stalled} says why. Reads get the same bound from
 * {@link Socket#setSoTimeout}, except reads straight from the socket's channel ({@link #readFully}),
 * which this guard watches too.
 */
final class StallGuard implements AutoCloseable {
    static final int CHUNK = 64 << 10;
    private final Socket socket;
    private final long timeoutNanos;
    /** System.nanoTime when the write in progress began, 0 when none is. */
    private volatile long writeSince;
    private volatile boolean stalled;
    private volatile boolean closed;
    private final Thread watchdog;

    StallGuard(Socket socket, int timeoutMs) {
        this.socket = socket;
        this.timeoutNanos = timeoutMs * 1_000_000L;
        this.watchdog = new Thread(this::watch, "migration-stall-guard");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** OUT with every write watched. */
    OutputStream guard(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                begin();
                try {
                    out.write(b);
                } finally {
                    writeSince = 0;
                }
            }

            /** In pieces of CHUNK bytes, each one's progress restarting the clock (a slow link is not a stalled one). */
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    for (int done = 0; done < len; done += CHUNK) {
                        begin();
                        out.write(b, off + done, Math.min(CHUNK, len - done));
                    }
                } finally {
                    writeSince = 0;
                }
            }

            @Override
            public void flush() throws IOException {
                begin();
                try {
                    out.flush();
                } finally {
                    writeSince = 0;
                }
            }
        };
    }

    /**
     * Writes all of src to channel (the socket's own, blocking) with the same watch: pages go
     * straight from guest RAM to the socket, without the copies through the Java heap that a
     * stream write makes.
     */
    void writeFully(java.nio.channels.WritableByteChannel channel, java.nio.ByteBuffer src) throws IOException {
        try {
            while (src.hasRemaining()) {
                begin();
                int limit = src.limit();
                src.limit(Math.min(limit, src.position() + CHUNK));
                try {
                    channel.write(src);
                } finally {
                    src.limit(limit);
                }
            }
        } finally {
            writeSince = 0;
        }
    }

    /** Fills dst from channel (the socket's own, blocking), each read watched as writes are. */
    void readFully(java.nio.channels.ReadableByteChannel channel, java.nio.ByteBuffer dst) throws IOException {
        try {
            while (dst.hasRemaining()) {
                begin();
                if (channel.read(dst) < 0) throw new java.io.EOFException("the source closed the connection before the end of the migration");
            }
        } finally {
            writeSince = 0;
        }
    }

    private void begin() {
        writeSince = System.nanoTime();
    }

    /** True when the watchdog closed the socket because a write made no progress. */
    boolean stalled() {
        return stalled;
    }

    private void watch() {
        while (!closed) {
            long since = writeSince;
            if (since != 0 && System.nanoTime() - since > timeoutNanos) {
                stalled = true;
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                return;
            }
            try {
                Thread.sleep(Math.max(10, timeoutNanos / 1_000_000 / 20));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
    }
}
