package org.jvirt.vmm.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 over a socket channel, read and written directly on the channel. (The stream
 * adapters of {@code Channels} take the channel's blocking lock for both directions, so a
 * thread blocked reading would stop another from writing: events could never be sent.)
 */
public final class LineChannel {

    private final SocketChannel channel;
    private final int maxLine;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private byte[] line = new byte[256];

    public LineChannel(SocketChannel channel, int maxLine) {
        this.channel = channel;
        this.maxLine = maxLine;
        in.flip();
    }

    /** The next line without its newline, or null at end of stream; IOException past maxLine. */
    public String readLine() throws IOException {
        int n = 0;
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') return new String(line, 0, n, StandardCharsets.UTF_8);
                if (n >= maxLine) throw new IOException("line longer than " + maxLine + " bytes");
                if (n == line.length) line = java.util.Arrays.copyOf(line, Math.min(maxLine, n * 2));
                line[n++] = b;
            }
            in.clear();
            int r = channel.read(in);
            in.flip();
            if (r < 0) return n == 0 ? null : new String(line, 0, n, StandardCharsets.UTF_8);
        }
    }

    /** Writes text and a newline; callers serialize writes. */
    public void writeLine(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) channel.write(b);
    }
}
