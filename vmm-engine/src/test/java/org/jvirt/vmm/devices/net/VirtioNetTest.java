package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import org.junit.jupiter.api.Test;
import org.jvirt.vmm.devices.virtio.VirtioDevice;

/**
 * virtio-net through its PCI transport with a driver played by the test and a backend in memory:
 * features, config space (MAC, link), frames both ways with and without merged receive buffers,
 * the vnet header passed through or made, the guest's receive offloads set on the backend, the
 * link's config interrupt, and the device state through save and load into a new device.
 */
class VirtioNetTest {
    static final byte[] MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x57};
    static final long BASE = VirtioDevice.F_VERSION_1 | NetFeatures.MAC | NetFeatures.STATUS;

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (i * 7 + seed);
        return f;
    }

    @Test
    void offloadsAreOfferedOnlyWithTheVnetHeaderAndTheAckedOnesReachTheBackend() {
        NetTestDriver plain = new NetTestDriver(new VirtioNet("net0", MAC, new MemoryBackend(false)));
        assertEquals(0, plain.deviceFeatures() & NetFeatures.OFFLOADS);
        assertNotEquals(0, plain.deviceFeatures() & NetFeatures.MRG_RXBUF);
        MemoryBackend tap = new MemoryBackend(true);
        NetTestDriver d = new NetTestDriver(new VirtioNet("net0", MAC, tap));
        assertEquals(NetFeatures.OFFLOADS, d.deviceFeatures() & NetFeatures.OFFLOADS);
        assertEquals(0xF, d.initialize(BASE | NetFeatures.GUEST_CSUM | NetFeatures.GUEST_TSO4 | NetFeatures.CSUM));
        assertEquals(NetLibC.TUN_F_CSUM | NetLibC.TUN_F_TSO4, tap.offloads);
        d.mmio.write(d.common + 0x14, 1, 0); // reset: the tap hands over no offloaded frames any more
        assertEquals(0, tap.offloads);
    }

    @Test
    void configSpaceHasTheMacAndTheLinkAndALinkChangeInterrupts() throws Exception {
        VirtioNet net = new VirtioNet("net0", MAC, new MemoryBackend(false));
        NetTestDriver d = new NetTestDriver(net);
        net.start(d.dev);
        assertEquals(0xF, d.initialize(BASE));
        for (int i = 0; i < 6; i++) assertEquals(MAC[i] & 0xFF, d.mmio.read(d.device + i, 1));
        assertEquals(1, d.mmio.read(d.device + 6, 2), "link up");
        long generation = d.mmio.read(d.common + 0x15, 1);
        d.mmio.read(d.isr, 1);
        net.setLink(false);
        assertEquals(0, d.mmio.read(d.device + 6, 2), "link down");
        assertNotEquals(generation, d.mmio.read(d.common + 0x15, 1), "a new config generation");
        assertEquals(0x2, d.mmio.read(d.isr, 1), "config change interrupt (INTx, ISR bit 1)");
        net.setLink(true);
        assertEquals(1, d.mmio.read(d.device + 6, 2));
        net.close(); // its receiving thread ends
    }

    @Test
    void aFrameSpansMergedReceiveBuffersAndNumBuffersCountsThem() {
        VirtioNet net = new VirtioNet("net0", MAC, new MemoryBackend(false));
        NetTestDriver d = new NetTestDriver(net);
        assertEquals(0xF, d.initialize(BASE | NetFeatures.MRG_RXBUF));
        for (int i = 0; i < 3; i++) d.submit(0, new long[] {0x40000 + 0x1000L * i, 1000, 1});
        byte[] f = frame(2500, 3);
        d.incoming(f);
        assertEquals(3, d.usedIdx(0), "three buffers for 2500 bytes");
        assertEquals(1000, d.usedLen(0, 0));
        assertEquals(1000, d.usedLen(0, 1));
        assertEquals(500, d.usedLen(0, 2));
        assertEquals(3, d.mem.readShort(0x40000 + VirtioNetHeader.NUM_BUFFERS), "num_buffers");
        byte[] got = new byte[1000];
        d.mem.read(0x41000, got, 0, 1000);
        assertArrayEquals(java.util.Arrays.copyOfRange(f, 1000, 2000), got);
        assertEquals(0, net.pump().pending(), "the slot is free for the next frame");
    }

    @Test
    void aFrameWaitsForEnoughBuffersAndWithoutMergingOneTooBigIsDropped() {
        VirtioNet net = new VirtioNet("net0", MAC, new MemoryBackend(false));
        NetTestDriver d = new NetTestDriver(net);
        assertEquals(0xF, d.initialize(BASE | NetFeatures.MRG_RXBUF));
        d.submit(0, new long[] {0x40000, 1000, 1});
        d.incoming(frame(1500, 1));
        assertEquals(0, d.usedIdx(0), "not enough room: nothing used");
        assertEquals(1500, net.pump().pending(), "the frame waits");
        d.submit(0, new long[] {0x41000, 1000, 1});
        d.kick(0);
        assertEquals(2, d.usedIdx(0), "delivered once the driver added a buffer");

        assertEquals(0xF, d.initialize(BASE)); // no MRG_RXBUF: one buffer per frame
        d.submit(0, new long[] {0x40000, 1000, 1});
        d.incoming(frame(1500, 1));
        assertEquals(0, d.usedIdx(0));
        assertEquals(0, net.pump().pending(), "too big for a buffer: dropped");
        d.incoming(frame(600, 2));
        assertEquals(1, d.usedIdx(0), "the buffer stayed the driver's for the next frame");
        assertEquals(600, d.usedLen(0, 0));
        assertEquals(1, d.mem.readShort(0x40000 + VirtioNetHeader.NUM_BUFFERS));
    }

    @Test
    void transmittedFramesReachTheBackendWithTheHeaderOnlyWhenItTakesOne() {
        for (boolean vnet : new boolean[] {false, true}) {
            MemoryBackend backend = new MemoryBackend(vnet);
            VirtioNet net = new VirtioNet("net0", MAC, backend);
            NetTestDriver d = new NetTestDriver(net);
            assertEquals(0xF, d.initialize(BASE));
            byte[] f = frame(12 + 100, 9);
            d.mem.write(0x50000, f, 0, 12);
            d.mem.write(0x51000, f, 12, 100);
            d.submit(1, new long[] {0x50000, 12, 0}, new long[] {0x51000, 100, 0});
            d.kick(1);
            assertEquals(1, d.usedIdx(1));
            assertEquals(1, backend.sent.size());
            assertArrayEquals(vnet ? f : java.util.Arrays.copyOfRange(f, 12, f.length), backend.sent.get(0));
            net.setLink(false);
            d.submit(1, new long[] {0x50000, 112, 0});
            d.kick(1);
            assertEquals(2, d.usedIdx(1), "returned to the driver");
            assertEquals(1, backend.sent.size(), "but not sent while the link is down");
        }
    }

    @Test
    void theDeviceStateComesBackInANewDevice() throws Exception {
        MemoryBackend first = new MemoryBackend(true);
        VirtioNet net = new VirtioNet("net0", MAC, first);
        NetTestDriver d = new NetTestDriver(net);
        assertEquals(0xF, d.initialize(BASE | NetFeatures.MRG_RXBUF | NetFeatures.GUEST_CSUM));
        d.submit(0, new long[] {0x40000, 2000, 1});
        d.submit(0, new long[] {0x41000, 2000, 1});
        d.incoming(frame(100, 1));
        net.setLink(false);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        d.bridge.saveState(new DataOutputStream(saved));
        d.dev.saveState(new DataOutputStream(saved));

        MemoryBackend reopened = new MemoryBackend(true);
        VirtioNet net2 = new VirtioNet("net0", MAC, reopened);
        NetTestDriver d2 = new NetTestDriver(net2);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.toByteArray()));
        d2.bridge.loadState(in);
        d2.dev.loadState(in);
        d2.bridge.refreshMappings();
        byte[] ram = new byte[(int) d.mem.size()];
        d.mem.read(0, ram, 0, ram.length);
        d2.mem.write(0, ram, 0, ram.length);
        assertEquals(0xF, d2.status());
        assertFalse(net2.linkUp(), "the link state");
        assertEquals(0, d2.mmio.read(d2.device + 6, 2));
        assertEquals(NetLibC.TUN_F_CSUM, reopened.offloads, "the reopened backend gets the guest's offloads");
        assertEquals(0, reopened.sent.size(), "the link is down: no announce");
        net2.setLink(true);
        d2.incoming(frame(200, 2));
        assertEquals(2, d2.usedIdx(0), "the next frame goes to the next buffer of the restored ring");
        assertEquals(1, d2.usedId(0, 1), "the second buffer (descriptor 1)");
        assertEquals(200, d2.usedLen(0, 1));

        MemoryBackend third = new MemoryBackend(false); // loaded with the link up: one RARP once the queues run
        NetTestDriver d3 = new NetTestDriver(new VirtioNet("net0", MAC, third));
        ByteArrayOutputStream up = new ByteArrayOutputStream();
        d2.bridge.saveState(new DataOutputStream(up));
        d2.dev.saveState(new DataOutputStream(up));
        in = new DataInputStream(new ByteArrayInputStream(up.toByteArray()));
        d3.bridge.loadState(in);
        d3.dev.loadState(in);
        d3.bridge.refreshMappings();
        assertEquals(0, third.sent.size());
        d3.kick(1);
        assertEquals(1, third.sent.size());
        byte[] rarp = third.sent.get(0);
        assertEquals(60, rarp.length);
        for (int i = 0; i < 6; i++) {
            assertEquals((byte) 0xFF, rarp[i], "broadcast");
            assertEquals(MAC[i], rarp[6 + i], "from the NIC's MAC");
            assertEquals(MAC[i], rarp[22 + i], "sender hardware address");
            assertEquals(MAC[i], rarp[32 + i], "target hardware address");
        }
        assertEquals(0x8035, (rarp[12] & 0xFF) << 8 | rarp[13] & 0xFF, "RARP");
        assertEquals(3, rarp[21], "reverse request");
        d3.kick(1);
        assertEquals(1, third.sent.size(), "once");
    }
}
