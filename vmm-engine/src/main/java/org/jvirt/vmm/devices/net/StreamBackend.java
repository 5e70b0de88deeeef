package org.jvirt.vmm.devices.net;

import static org.jvirt.vmm.devices.net.NetLibC.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A NIC's frames over a connected unix stream socket, as QEMU's -netdev stream speaks to passt
 * (QEMU net/stream.c, passt tap.c): each Ethernet frame, without a virtio-net header, follows
 * its length as a 4-byte big-endian number, both ways. The socket is non-blocking ({@link #receive}
 * reads, and polls only when nothing is there); a frame may arrive in any number of pieces
 * ({@link #receive} keeps the partial one between calls) and a
 * send that stops mid-frame is finished before the next (else the stream is out of step).
 * A length longer than the receive buffer, a read or write error and the peer's end (passt
 * exiting) drop the connection: the socket is shut down both ways, further calls fail, and
 * nothing is written past the buffer. Native buffers are allocated once.
 */
public final class StreamBackend implements NetBackend {
    static final int LENGTH = 4;
    /** How long a send that stopped mid-frame waits for room before the connection is dropped. */
    private static final int STALL_MS = 5_000;

    private final int fd;
    private final String name;
    private final Memory rxLength = new Memory(LENGTH), rxBuf = new Memory(TapBackend.MAX_FRAME);
    private final Memory txBuf = new Memory(LENGTH + TapBackend.MAX_FRAME);
    private final Memory pollIn = new Memory(8), pollOut = new Memory(8);
    // receiving thread only: bytes of the length read, the frame's length (-1: none yet), bytes of it read
    private int lengthRead, frameLength = -1, frameRead;
    private volatile boolean closed, dropped;

    StreamBackend(int fd, String name) {
        this.fd = fd;
        this.name = name;
        pollIn.setInt(0, fd);
        pollIn.setShort(4, (short) POLLIN);
        pollOut.setInt(0, fd);
        pollOut.setShort(4, (short) POLLOUT);
    }

    /** Connects to the unix stream socket at path (passt's --socket). */
    public static StreamBackend connect(Path path) throws IOException {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length == 0 || p.length > SUN_PATH_MAX) throw new IOException("bad socket path '" + path + "' (1.." + SUN_PATH_MAX + " bytes)");
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException("cannot create a unix socket: " + lastError());
        try {
            Memory addr = new Memory(SOCKADDR_UN_SIZE);
            addr.clear();
            addr.setShort(0, (short) AF_UNIX);
            addr.write(2, p, 0, p.length);
            if (NetLibC.connect(fd, Pointer.nativeValue(addr), SOCKADDR_UN_SIZE) < 0) {
                throw new IOException("cannot connect to " + path + ": " + lastError());
            }
            int flags = fcntl(fd, F_GETFL, 0);
            if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) throw new IOException("socket " + path + ": fcntl: " + lastError());
            return new StreamBackend(fd, "stream " + path);
        } catch (IOException | RuntimeException e) {
            NetLibC.close(fd);
            throw e;
        }
    }

    @Override public boolean hasVnetHeader() { return false; }
    @Override public String name() { return name; }
    @Override public void setOffloads(int tunFlags) { } // no vnet header: no offloads

    @Override
    public int receive(byte[] buf, int offset, int timeoutMillis) throws IOException {
        if (closed || dropped) throw new IOException(name + ": the connection is closed");
        int room = Math.min(buf.length - offset, TapBackend.MAX_FRAME);
        int n = readFrame(buf, offset, room); // while the socket has data, no poll
        if (n != 0 || timeoutMillis == 0) return n;
        int r = poll(Pointer.nativeValue(pollIn), 1, timeoutMillis);
        if (r < 0) {
            if (errno() == EINTR) return 0;
            throw drop("poll: " + lastError());
        }
        if (r == 0) return 0;
        return readFrame(buf, offset, room);
    }

    /** Reads on with the frame in progress; its length once whole, 0 while the rest has not come (or it was dropped). */
    private int readFrame(byte[] buf, int offset, int room) throws IOException {
        while (true) {
            if (frameLength < 0) {
                int n = readSome(Pointer.nativeValue(rxLength) + lengthRead, LENGTH - lengthRead);
                if (n == 0) return 0; // the rest has not come yet
                lengthRead += n;
                if (lengthRead < LENGTH) continue;
                lengthRead = 0;
                long length = (rxLength.getByte(0) & 0xFFL) << 24 | (rxLength.getByte(1) & 0xFF) << 16
                        | (rxLength.getByte(2) & 0xFF) << 8 | (rxLength.getByte(3) & 0xFF); // big-endian, unsigned
                if (length > room) throw drop("a frame of " + length + " bytes does not fit the " + room + "-byte buffer");
                frameLength = (int) length;
                frameRead = 0;
            }
            if (frameRead < frameLength) {
                int n = readSome(Pointer.nativeValue(rxBuf) + frameRead, frameLength - frameRead);
                if (n == 0) return 0;
                frameRead += n;
                if (frameRead < frameLength) continue;
            }
            int length = frameLength;
            frameLength = -1;
            if (length < 14) return 0; // shorter than an Ethernet header: dropped (passt does the same)
            rxBuf.read(0, buf, offset, length);
            return length;
        }
    }

    /** Reads up to count bytes to address; 0 when none are there yet; the peer's end drops the connection. */
    private int readSome(long address, int count) throws IOException {
        long n = read(fd, address, count);
        if (n > 0) return (int) n;
        if (n == 0) throw drop("the peer closed the connection");
        int e = errno();
        if (e == EAGAIN || e == EINTR) return 0;
        throw drop("read: " + strerror(e));
    }

    @Override
    public void send(byte[] buf, int offset, int length) throws IOException {
        if (closed) return;
        if (dropped) throw new IOException(name + ": the connection is closed");
        int n = Math.min(length, TapBackend.MAX_FRAME);
        txBuf.setByte(0, (byte) (n >>> 24));
        txBuf.setByte(1, (byte) (n >>> 16));
        txBuf.setByte(2, (byte) (n >>> 8));
        txBuf.setByte(3, (byte) n);
        txBuf.write(LENGTH, buf, offset, n);
        long base = Pointer.nativeValue(txBuf);
        int total = LENGTH + n, done = 0;
        while (done < total) {
            long w = NetLibC.send(fd, base + done, total - done, MSG_NOSIGNAL);
            if (w >= 0) {
                done += (int) w;
                continue;
            }
            int e = errno();
            if (e == EINTR) continue;
            if (e != EAGAIN) throw drop("send: " + strerror(e));
            if (done == 0) return; // no room at all: the frame is dropped, as a full tap queue drops it
            int r = poll(Pointer.nativeValue(pollOut), 1, STALL_MS); // mid-frame: the rest must follow
            if (r == 0) throw drop("no room for the rest of a frame for " + STALL_MS / 1000 + " s");
            if (r < 0 && errno() != EINTR) throw drop("poll: " + lastError());
        }
    }

    /** Shuts the connection down both ways (the fd stays open until {@link #close}: no other thread can meet a reused fd). */
    private IOException drop(String why) {
        dropped = true;
        shutdown(fd, SHUT_RDWR);
        return new IOException(name + ": " + why + "; the connection is dropped");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        NetLibC.close(fd);
    }
}
