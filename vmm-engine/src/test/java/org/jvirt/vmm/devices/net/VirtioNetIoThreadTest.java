package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.devices.virtio.VirtioIoThread;

/**
 * virtio-net with its I/O thread and its receiving thread running, as in a machine: frames that
 * come in are delivered by the receiving thread itself (a burst without waiting for the I/O
 * thread), none while the device is quiesced (they come on resume), a frame held while the guest
 * has no buffer arrives with the guest's next receive kick; while the device transmits, the used
 * ring tells the driver not to notify (VIRTQ_USED_F_NO_NOTIFY), and afterwards it may again.
 */
class VirtioNetIoThreadTest {
    static final long RX_BUFS = 0x40000;

    /** Hands out the queued frames (vnet header first); records the transmit queue's used flags at each send. */
    final class QueueBackend implements NetBackend {
        final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
        volatile int sends, usedFlagsAtSend = -1;

        @Override public boolean hasVnetHeader() { return true; }
        @Override public int receive(byte[] buf, int offset, int timeoutMillis) throws java.io.IOException {
            byte[] f;
            try {
                f = incoming.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            if (f == null) return 0;
            System.arraycopy(f, 0, buf, offset, f.length);
            return f.length;
        }
        @Override public void send(byte[] buf, int offset, int length) {
            usedFlagsAtSend = d.mem.readShort(NetTestDriver.USED[1]) & 0xFFFF;
            sends++;
        }
        @Override public void setOffloads(int tunFlags) { }
        @Override public String name() { return "queue"; }
        @Override public void close() { }
    }

    QueueBackend backend;
    VirtioNet net;
    NetTestDriver d;
    VirtioIoThread io;

    @BeforeEach
    void setUp() {
        backend = new QueueBackend();
        net = new VirtioNet("net0", VirtioNetTest.MAC, backend);
        d = new NetTestDriver(net);
        io = VirtioIoThread.start(d.dev, null, "test-net-io");
        assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1 | NetFeatures.MRG_RXBUF));
        net.start(d.dev);
    }

    @AfterEach
    void tearDown() throws Exception {
        net.stopReceiving();
        io.close();
        net.close();
    }

    private static byte[] frame(int seed) {
        byte[] f = new byte[VirtioNetHeader.SIZE + 60];
        for (int i = VirtioNetHeader.SIZE; i < f.length; i++) f[i] = (byte) (i * 5 + seed);
        return f;
    }

    private void postRxBuffers(int n) {
        for (int i = 0; i < n; i++) d.submit(0, new long[] {RX_BUFS + 0x800L * (d.availIdx[0] % d.queueSize), 2048, 1});
    }

    /** The payload of the k-th used receive buffer matches frame(seed). */
    private void assertReceived(int k, int seed) {
        byte[] want = frame(seed);
        assertEquals(want.length, d.usedLen(0, k), "length of used buffer " + k);
        long at = RX_BUFS + 0x800L * d.usedId(0, k);
        assertEquals(1, d.mem.readShort(at + VirtioNetHeader.NUM_BUFFERS), "num_buffers");
        for (int i = VirtioNetHeader.SIZE; i < want.length; i++) assertEquals(want[i], d.mem.readByte(at + i), "frame " + seed + " byte " + i);
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(2);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aBurstComesInAndNothingWhileQuiesced() throws Exception {
        postRxBuffers(8);
        for (int s = 1; s <= 3; s++) backend.incoming.add(frame(s));
        assertTrue(eventually(() -> d.usedIdx(0) == 3), "three frames delivered, used index " + d.usedIdx(0));
        for (int k = 0; k < 3; k++) assertReceived(k, k + 1);
        assertEquals(1, d.mmio.read(d.isr, 1) & 1, "an interrupt for them (INTx, ISR bit 0)");

        io.quiesce();
        backend.incoming.add(frame(4));
        Thread.sleep(300); // the receiving thread has read it by now, and holds it
        assertTrue(backend.incoming.isEmpty());
        assertEquals(3, d.usedIdx(0), "nothing written into the guest while quiesced");
        io.resume();
        assertTrue(eventually(() -> d.usedIdx(0) == 4), "delivered on resume");
        assertReceived(3, 4);
    }

    @Test
    void aFrameWithoutRoomWaitsForTheGuestsBuffers() throws Exception {
        backend.incoming.add(frame(7));
        assertTrue(eventually(backend.incoming::isEmpty));
        Thread.sleep(100);
        assertEquals(0, d.usedIdx(0), "no buffer yet");
        postRxBuffers(1);
        d.kick(0);
        assertTrue(eventually(() -> d.usedIdx(0) == 1), "delivered after the guest's receive kick");
        assertReceived(0, 7);
    }

    @Test
    void theDriverIsToldNotToNotifyWhileTheDeviceTransmits() throws Exception {
        byte[] f = frame(9);
        d.mem.write(0x60000, f, 0, f.length);
        d.submit(1, new long[] {0x60000, f.length, 0});
        d.kick(1);
        assertTrue(eventually(() -> d.usedIdx(1) == 1), "sent and returned");
        assertEquals(1, backend.sends);
        assertEquals(1, backend.usedFlagsAtSend, "VIRTQ_USED_F_NO_NOTIFY while sending");
        assertEquals(0, d.mem.readShort(NetTestDriver.USED[1]), "notifications wanted again once the queue is drained");
    }
}
