package org.jvirt.driver.jvirt;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.jvirt.driver.spi.ConsoleStream;

/** Console streams onto what the VMM serves: the slave side of its pty, or its console socket. */
final class ConsoleStreams {

    private ConsoleStreams() { }

    static ConsoleStream pty(Path slave) throws IOException {
        FileInputStream in = new FileInputStream(slave.toFile());
        FileOutputStream out;
        try {
            out = new FileOutputStream(slave.toFile());
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new ConsoleStream() {
            @Override public InputStream input() { return in; }
            @Override public OutputStream output() { return out; }
            @Override public void close() {
                try { in.close(); } catch (IOException ignored) { }
                try { out.close(); } catch (IOException ignored) { }
            }
        };
    }

    /** Reads and writes go straight to the channel (Channels' stream adapters share one lock). */
    static ConsoleStream unix(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        InputStream in = new InputStream() {
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }
            @Override public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
        OutputStream out = new OutputStream() {
            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
            @Override public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) ch.write(buf);
            }
        };
        return new ConsoleStream() {
            @Override public InputStream input() { return in; }
            @Override public OutputStream output() { return out; }
            @Override public void close() { try { ch.close(); } catch (IOException ignored) { } }
        };
    }
}
