package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.jvirt.vmm.devices.virtio.VirtioDevice;

/**
 * A hostile virtio-net driver with a fixed seed, as VirtioFuzzTest for virtio-blk: random
 * descriptors in both queues (addresses in, at the edge of and outside RAM, huge lengths,
 * random flags and links, indirect tables), random ring indices, register writes and link
 * changes, while frames of random sizes come in. Nothing may escape a BAR access or a kick,
 * no access outside RAM is even attempted, nothing bigger than a frame reaches the backend,
 * and the device either works or asks for a reset.
 */
class VirtioNetFuzzTest {

    @Test
    void randomRingsNeverEscapeTheDevice() {
        for (boolean vnet : new boolean[] {false, true}) {
            MemoryBackend backend = new MemoryBackend(vnet);
            VirtioNet net = new VirtioNet("net0", VirtioNetTest.MAC, backend);
            NetTestDriver d = new NetTestDriver(net);
            long ram = d.mem.size();
            Random rnd = new Random(0x5eed + (vnet ? 1 : 0));
            int needsReset = 0, received = 0, sent;
            byte[] frame = new byte[TapBackend.MAX_FRAME + VirtioNetHeader.SIZE];
            for (int round = 0; round < 400; round++) {
                long features = VirtioDevice.F_VERSION_1 | (rnd.nextBoolean() ? NetFeatures.MRG_RXBUF : 0)
                        | (rnd.nextBoolean() ? VirtioDevice.F_INDIRECT_DESC : 0) | NetFeatures.MAC | NetFeatures.STATUS;
                assertEquals(0xF, d.initialize(features));
                for (int q = 0; q < 2; q++) {
                    for (int i = 0; i < d.queueSize; i++) {
                        if (rnd.nextInt(3) == 0) { // a plausible buffer now and then, so that frames get through
                            d.desc(NetTestDriver.DESC[q], i, 0x40000 + 0x1000L * rnd.nextInt(32), q == 0 ? 4096 : 12 + rnd.nextInt(1500), q == 0 ? 2 : 0, 0);
                        } else {
                            d.desc(NetTestDriver.DESC[q], i, randomAddr(rnd, ram), randomLen(rnd), rnd.nextInt(8), rnd.nextInt(d.queueSize + 4));
                        }
                    }
                    int n = rnd.nextInt(6);
                    for (int i = 0; i < n; i++) d.publish(q, rnd.nextInt(d.queueSize + 2));
                    if (rnd.nextInt(10) == 0) d.mem.writeShort(NetTestDriver.AVAIL[q] + 2, (short) rnd.nextInt(65536));
                }
                for (int i = 0; i < d.queueSize; i++) {
                    d.desc(NetTestDriver.INDIRECT, i, randomAddr(rnd, ram), randomLen(rnd), rnd.nextInt(8), rnd.nextInt(d.queueSize + 4));
                }
                for (int i = 0; i < 3; i++) {
                    if (rnd.nextInt(4) == 0) d.mmio.write(d.common + rnd.nextInt(0x40), 1 << rnd.nextInt(3), rnd.nextLong());
                    if (rnd.nextInt(8) == 0) net.setLink(rnd.nextBoolean());
                    d.kick(rnd.nextInt(3));
                    if (net.pump().pending() == 0 && rnd.nextBoolean()) {
                        int len = switch (rnd.nextInt(4)) {
                            case 0 -> VirtioNetHeader.SIZE + 60;
                            case 1 -> frame.length;
                            default -> VirtioNetHeader.SIZE + rnd.nextInt(3000);
                        };
                        rnd.nextBytes(frame);
                        d.incoming(java.util.Arrays.copyOf(frame, len));
                    }
                }
                if ((d.status() & 0x40) != 0) needsReset++;
                received += d.usedIdx(0);
            }
            sent = backend.sent.size();
            for (byte[] f : backend.sent) assertTrue(f.length <= TapBackend.MAX_FRAME, "frame of " + f.length);
            assertEquals(0, d.mem.rejectedAccesses(), "every guest address was checked before use");
            // Both outcomes occur, so the fuzzer reaches past the first checks.
            assertTrue(needsReset > 0, "some rounds need a reset");
            assertTrue(received > 0, "some frames are received");
            assertTrue(sent > 0, "some frames are sent");
            net.setLink(true);
        }
    }

    private static long randomAddr(Random rnd, long ram) {
        return switch (rnd.nextInt(6)) {
            case 0 -> ram - 1 - rnd.nextInt(16);
            case 1 -> ram + rnd.nextInt(4096);
            case 2 -> rnd.nextLong();
            case 3 -> -1L - rnd.nextInt(16);
            default -> 0x40000 + 0x800L * rnd.nextInt(64); // buffers in RAM
        };
    }

    private static long randomLen(Random rnd) {
        return switch (rnd.nextInt(7)) {
            case 0 -> 0;
            case 1 -> 11;
            case 2 -> 12;
            case 3 -> 1514;
            case 4 -> 0xFFFF_FFFFL - rnd.nextInt(16);
            case 5 -> 70000;
            default -> rnd.nextInt(4096);
        };
    }
}
