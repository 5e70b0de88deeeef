package org.jvirt.daemon.activation;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jvirt.daemon.transport.Transport;

/**
 * A client connection accepted on an inherited socket, read and written through libc (Java has
 * no public way to wrap a file descriptor in a socket). Reads and writes go through their own
 * native buffers, so the reader and writer threads never share one.
 */
final class FdTransport implements Transport {
    private static final int CHUNK = 64 * 1024;
    private final int fd;
    private final String name;
    private final boolean secure;
    private volatile boolean closed;
    private final InputStream in;
    private final OutputStream out;

    FdTransport(int fd, String name, boolean secure) {
        this.fd = fd;
        this.name = name;
        this.secure = secure;
        Memory rbuf = new Memory(CHUNK);
        Memory wbuf = new Memory(CHUNK);
        this.in = new InputStream() {
            @Override public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                while (true) {
                    if (closed) return -1;
                    long n = SocketLibC.read(fd, com.sun.jna.Pointer.nativeValue(rbuf), Math.min(len, CHUNK));
                    if (n < 0 && SocketLibC.errno() == SocketLibC.EINTR) continue;
                    if (n < 0) throw new IOException("read: " + SocketLibC.strerror(SocketLibC.errno()));
                    if (n == 0) return -1;
                    rbuf.read(0, b, off, (int) n);
                    return (int) n;
                }
            }
        };
        this.out = new OutputStream() {
            @Override public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (closed) throw new IOException("connection closed");
                    int k = Math.min(len, CHUNK);
                    wbuf.write(0, b, off, k);
                    long n = SocketLibC.write(fd, com.sun.jna.Pointer.nativeValue(wbuf), k);
                    if (n < 0 && SocketLibC.errno() == SocketLibC.EINTR) continue;
                    if (n < 0) throw new IOException("write: " + SocketLibC.strerror(SocketLibC.errno()));
                    long done = n;
                    // a partial write: the rest again from the buffer
                    while (done < k) {
                        long m = SocketLibC.write(fd, com.sun.jna.Pointer.nativeValue(wbuf) + done, k - done);
                        if (m < 0 && SocketLibC.errno() == SocketLibC.EINTR) continue;
                        if (m < 0) throw new IOException("write: " + SocketLibC.strerror(SocketLibC.errno()));
                        done += m;
                    }
                    off += k;
                    len -= k;
                }
            }
        };
    }

    @Override public InputStream input() { return in; }

    @Override public OutputStream output() { return out; }

    @Override public String describe() { return name; }

    @Override public boolean secure() { return secure; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        SocketLibC.shutdown(fd, 2); // wakes a reader blocked in read(2) before the fd goes
        SocketLibC.close(fd);
    }
}
