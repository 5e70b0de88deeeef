package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.testutil.Allocations;

/**
 * Frames in both directions allocate nothing per frame: after a warm-up, thousands of received
 * and transmitted frames (merged receive buffers, the device's own code on the calling thread)
 * allocate less than a few KiB in all (one object per frame would be hundreds of KiB).
 */
class VirtioNetAllocationTest {
    private static final int N = 4000;

    /** Counts what it is given, keeping nothing. */
    private static final class CountingBackend implements NetBackend {
        long frames, bytes;
        @Override public boolean hasVnetHeader() { return true; }
        @Override public int receive(byte[] buf, int offset, int timeoutMillis) { return 0; }
        @Override public void send(byte[] buf, int offset, int length) { frames++; bytes += length; }
        @Override public void setOffloads(int tunFlags) { }
        @Override public String name() { return "counting"; }
        @Override public void close() { }
    }

    @Test
    void framesBothWaysAllocateNothing() {
        Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
        CountingBackend backend = new CountingBackend();
        VirtioNet net = new VirtioNet("net0", VirtioNetTest.MAC, backend);
        NetTestDriver d = new NetTestDriver(net);
        assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1 | NetFeatures.MRG_RXBUF));
        byte[] frame = new byte[VirtioNetHeader.SIZE + 1514];
        d.mem.write(0x60000, frame, 0, frame.length);
        for (int i = 0; i < d.queueSize; i++) {
            d.desc(NetTestDriver.DESC[0], i, 0x40000 + 0x800L * i, 1024, 2, 0); // a 1526-byte frame takes two
            d.desc(NetTestDriver.DESC[1], i, 0x60000, frame.length, 0, 0);
        }
        Runnable oneEachWay = () -> {
            d.publish(0, d.availIdx[0] % d.queueSize);
            d.publish(0, d.availIdx[0] % d.queueSize);
            d.incoming(frame);
            d.publish(1, d.availIdx[1] % d.queueSize);
            d.kick(1);
        };
        for (int i = 0; i < 3; i++) Allocations.during(() -> { for (int k = 0; k < N; k++) oneEachWay.run(); });
        long before = backend.frames;
        int usedBefore = d.usedIdx(0);
        long bytes = Allocations.during(() -> { for (int k = 0; k < N; k++) oneEachWay.run(); });
        assertEquals(N, backend.frames - before, "every frame sent");
        assertEquals((2 * N) & 0xFFFF, (d.usedIdx(0) - usedBefore) & 0xFFFF, "every frame received, in two buffers");
        assertTrue(bytes < 16 * 1024, N + " frames each way allocated " + bytes + " bytes");
    }
}
