package org.jvirt.vmm.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The target's reader of the migration stream: buffered for the records' heads, and able to
 * read a record's pages from the socket's channel straight into guest RAM, without the copies
 * through the Java heap a stream read makes. Stream reads time out by the socket's SO_TIMEOUT;
 * channel reads are watched by the StallGuard.
 */
final class RecordInput extends InputStream {
    /** Small: what a head's read takes of the pages after it goes through the heap. */
    private static final int BUFFER = 64 << 10;
    private final InputStream in;
    private final ReadableByteChannel channel;
    private final StallGuard guard;
    private final byte[] buf = new byte[BUFFER];
    private int pos, end;

    /** channel: the socket's own, or null (then pages go through the heap). */
    RecordInput(InputStream in, ReadableByteChannel channel, StallGuard guard) {
        this.in = in;
        this.channel = channel;
        this.guard = guard;
    }

    /** Whether pages can be read straight into RAM. */
    boolean direct() {
        return channel != null;
    }

    @Override
    public int read() throws IOException {
        if (pos == end && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == end) {
            if (len >= BUFFER) return in.read(b, off, len);
            if (!fill()) return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Fills dst: what is buffered first, the rest from the channel. Only when {@link #direct}. */
    void readFully(ByteBuffer dst) throws IOException {
        int n = Math.min(end - pos, dst.remaining());
        dst.put(buf, pos, n);
        pos += n;
        guard.readFully(channel, dst);
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, BUFFER);
        if (n <= 0) return false;
        pos = 0;
        end = n;
        return true;
    }
}
