package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The stream framing (a 4-byte big-endian length before each frame) on one end of a real
 * socketpair, the test playing passt on the other: frames that come in pieces, back to back,
 * a length longer than the buffer (the connection is dropped, the buffer is not overrun), the
 * peer's end, and frames sent whole even when the socket fills mid-frame.
 */
class StreamBackendTest {
    private int peer;
    private StreamBackend backend;
    private final Memory io = new Memory(1 << 20);

    @BeforeEach
    void pair() throws IOException {
        int[] fds = new int[2];
        assertEquals(0, NetLibC.socketpair(NetLibC.AF_UNIX, NetLibC.SOCK_STREAM | NetLibC.SOCK_CLOEXEC, 0, fds), NetLibC.lastError());
        assertEquals(0, NetLibC.fcntl(fds[0], NetLibC.F_SETFL, NetLibC.O_NONBLOCK));
        backend = new StreamBackend(fds[0], "stream test");
        peer = fds[1];
    }

    @AfterEach
    void close() {
        backend.close();
        NetLibC.close(peer);
    }

    private void peerWrite(byte[] b) {
        io.write(0, b, 0, b.length);
        assertEquals(b.length, NetLibC.write(peer, Pointer.nativeValue(io), b.length));
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed + i * 7);
        return f;
    }

    private static byte[] framed(byte[] f) {
        byte[] out = new byte[4 + f.length];
        out[0] = (byte) (f.length >>> 24);
        out[1] = (byte) (f.length >>> 16);
        out[2] = (byte) (f.length >>> 8);
        out[3] = (byte) f.length;
        System.arraycopy(f, 0, out, 4, f.length);
        return out;
    }

    /** Receives until a frame comes (at most 5 s), into buf at offset 12 as RxPump does. */
    private int receive(byte[] buf) throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            int n = backend.receive(buf, 12, 50);
            if (n > 0) return n;
        }
        return 0;
    }

    @Test
    void aFrameInPiecesIsReceivedWholeAndFramesBackToBackOneByOne() throws Exception {
        byte[] f = frame(1514, 3);
        byte[] wire = framed(f);
        byte[] buf = new byte[TapBackend.MAX_FRAME + 12];
        int[] cuts = {0, 2, 4, 5, 700, 1517, wire.length}; // the length split, then the frame in four pieces
        for (int i = 0; i + 1 < cuts.length; i++) {
            peerWrite(Arrays.copyOfRange(wire, cuts[i], cuts[i + 1]));
            if (i + 2 < cuts.length) assertEquals(0, backend.receive(buf, 12, 20), "nothing before the frame is complete (piece " + i + ")");
        }
        assertEquals(1514, receive(buf));
        assertArrayEquals(f, Arrays.copyOfRange(buf, 12, 12 + 1514));

        byte[] a = frame(60, 1), b = frame(9000, 2), runt = frame(10, 9);
        byte[] both = new byte[4 + 60 + 4 + 10 + 4 + 9000];
        System.arraycopy(framed(a), 0, both, 0, 64);
        System.arraycopy(framed(runt), 0, both, 64, 14);
        System.arraycopy(framed(b), 0, both, 78, 9004);
        peerWrite(both);
        assertEquals(60, receive(buf));
        assertArrayEquals(a, Arrays.copyOfRange(buf, 12, 72));
        assertEquals(9000, receive(buf), "the runt (shorter than an Ethernet header) is skipped, the stream stays in step");
        assertArrayEquals(b, Arrays.copyOfRange(buf, 12, 9012));
    }

    @Test
    void aLengthLongerThanTheBufferDropsTheConnectionWithoutOverrunningIt() throws Exception {
        byte[] buf = new byte[2048 + 12];
        byte[] sentinel = frame(buf.length, 5);
        System.arraycopy(sentinel, 0, buf, 0, buf.length);
        peerWrite(framed(frame(2049, 0)));
        IOException e = assertThrows(IOException.class, () -> receive(buf));
        assertEquals("stream test: a frame of 2049 bytes does not fit the 2048-byte buffer; the connection is dropped", e.getMessage());
        assertArrayEquals(sentinel, buf, "nothing was written to the buffer");
        assertEquals(0, NetLibC.read(peer, Pointer.nativeValue(io), 1), "the peer sees the end of the stream (passt --one-off then exits)");
        assertThrows(IOException.class, () -> backend.receive(buf, 12, 10), "the dropped connection stays dropped");
        IOException s = assertThrows(IOException.class, () -> backend.send(buf, 0, 60));
        assertEquals("stream test: the connection is closed", s.getMessage());
    }

    @Test
    void thePeersEndIsAnErrorEvenMidFrame() throws Exception {
        byte[] buf = new byte[TapBackend.MAX_FRAME + 12];
        peerWrite(Arrays.copyOf(framed(frame(100, 0)), 50));
        assertEquals(0, backend.receive(buf, 12, 50));
        NetLibC.shutdown(peer, NetLibC.SHUT_RDWR);
        IOException e = assertThrows(IOException.class, () -> receive(buf));
        assertEquals("stream test: the peer closed the connection; the connection is dropped", e.getMessage());
    }

    @Test
    void sentFramesCarryTheirLengthAndStayWholeWhenTheSocketFillsMidFrame() throws Exception {
        byte[] small = frame(60, 4);
        backend.send(small, 0, 60);
        assertEquals(64, NetLibC.read(peer, Pointer.nativeValue(io), 1 << 20));
        assertArrayEquals(framed(small), io.getByteArray(0, 64));

        // 200 frames of 30000 bytes: far more than the socket holds, read slowly on the other side
        int count = 200, size = 30000;
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) backend.send(frame(size, i), 0, size);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        sender.start();
        assertEquals(0, NetLibC.fcntl(peer, NetLibC.F_SETFL, NetLibC.O_NONBLOCK));
        byte[] stream = new byte[0];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Memory chunk = new Memory(7000);
        int idle = 0;
        while (System.nanoTime() < end && idle < 40) {
            long n = NetLibC.read(peer, Pointer.nativeValue(chunk), 7000);
            if (n > 0) {
                idle = 0;
                int old = stream.length;
                stream = Arrays.copyOf(stream, old + (int) n);
                chunk.read(0, stream, old, (int) n);
            } else {
                if (!sender.isAlive()) idle++;
                Thread.sleep(5);
            }
        }
        sender.join(5000);
        int at = 0, frames = 0, lastSeed = -1;
        while (at < stream.length) {
            assertTrue(at + 4 <= stream.length, "a length is whole");
            int len = (stream[at] & 0xFF) << 24 | (stream[at + 1] & 0xFF) << 16 | (stream[at + 2] & 0xFF) << 8 | (stream[at + 3] & 0xFF);
            assertEquals(size, len, "frame " + frames + " at " + at + ": the stream is in step");
            byte[] got = Arrays.copyOfRange(stream, at + 4, at + 4 + len);
            int seed = -1;
            for (int s = lastSeed + 1; s < count && seed < 0; s++) if (Arrays.equals(frame(size, s), got)) seed = s;
            assertTrue(seed > lastSeed, "frame " + frames + " is one that was sent, whole and in order");
            lastSeed = seed;
            at += 4 + len;
            frames++;
        }
        assertTrue(frames > 10, "most frames got through (" + frames + "); a full socket drops whole frames only");
    }
}
