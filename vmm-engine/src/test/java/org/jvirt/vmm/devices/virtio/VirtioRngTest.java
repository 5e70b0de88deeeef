package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Random;

import org.jvirt.vmm.devices.rng.VirtioRng;
import org.junit.jupiter.api.Test;

/**
 * virtio-rng driven as Linux's virtio_rng drives it: device-writable buffers come back filled
 * from the source; buffers outside guest RAM come back empty and the device keeps working; a
 * hostile ring (random descriptors, indices and register writes) never escapes the device.
 */
class VirtioRngTest {

    @Test
    void fillsTheWritableBuffersFromTheSource() throws Exception {
        try (VirtioRng rng = new VirtioRng(Path.of("/dev/urandom"))) {
            VirtioTestDriver d = new VirtioTestDriver(rng);
            assertEquals(0x1044, d.cfgRead(0x02, 2), "modern virtio-rng device id");
            assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1));
            d.mem.zero(0x30000, 0x2000);
            d.submit(new long[] {0x30000, 100, 1}, new long[] {0x31000, 4000, 1});
            d.kick(0);
            assertEquals(1, d.usedIdx());
            assertEquals(4100, d.usedLen(0), "both writable buffers filled");
            assertFalse(allZero(d, 0x31000 + 3900, 100), "random bytes at the end of the second buffer");
            assertEquals(4100, rng.bytesGiven());
        }
    }

    @Test
    void aBufferOutsideRamComesBackEmptyAndTheDeviceGoesOn() throws Exception {
        try (VirtioRng rng = new VirtioRng(Path.of("/dev/urandom"))) {
            VirtioTestDriver d = new VirtioTestDriver(rng);
            assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1));
            d.submit(new long[] {d.mem.size() - 16, 64, 1});
            d.kick(0);
            assertEquals(1, d.usedIdx());
            assertEquals(0, d.usedLen(0));
            d.submit(new long[] {0x30000, 32, 1});
            d.kick(0);
            assertEquals(2, d.usedIdx());
            assertEquals(32, d.usedLen(1));
            assertEquals(0, d.status() & 0x40, "no reset needed");
        }
    }

    @Test
    void randomRingsNeverEscapeTheDevice() throws Exception {
        java.io.InputStream endless = new java.io.InputStream() { // the fuzz rounds read a lot: no file
            @Override public int read() { return 0x5A; }
            @Override public int read(byte[] b, int off, int len) { java.util.Arrays.fill(b, off, off + len, (byte) 0x5A); return len; }
        };
        try (VirtioRng rng = new VirtioRng(endless, Path.of("endless"))) {
            VirtioTestDriver d = new VirtioTestDriver(rng);
            long ram = d.mem.size();
            Random rnd = new Random(0x5eed);
            int completed = 0;
            for (int round = 0; round < 300; round++) {
                assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1 | VirtioDevice.F_INDIRECT_DESC));
                for (int i = 0; i < d.queueSize; i++) {
                    d.desc(VirtioTestDriver.DESC, i, addr(rnd, ram), len(rnd), rnd.nextInt(8), rnd.nextInt(d.queueSize + 4));
                    d.desc(VirtioTestDriver.INDIRECT, i, addr(rnd, ram), len(rnd), rnd.nextInt(8), rnd.nextInt(d.queueSize + 4));
                }
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) d.publish(rnd.nextInt(d.queueSize + 2));
                if (rnd.nextInt(10) == 0) d.mem.writeShort(VirtioTestDriver.AVAIL + 2, (short) rnd.nextInt(65536));
                for (int i = 0; i < 3; i++) {
                    if (rnd.nextInt(4) == 0) d.mmio.write(d.common + rnd.nextInt(0x40), 1 << rnd.nextInt(3), rnd.nextLong());
                    d.kick(rnd.nextInt(3));
                }
                completed += d.usedIdx();
            }
            assertTrue(completed > 0, "some requests complete");
        }
    }

    private static boolean allZero(VirtioTestDriver d, long at, int n) {
        for (int i = 0; i < n; i++) if (d.mem.readByte(at + i) != 0) return false;
        return true;
    }

    private static long addr(Random rnd, long ram) {
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextLong();
            case 1 -> ram - rnd.nextInt(64);
            default -> 0x20000 + rnd.nextInt(0x100000);
        };
    }

    private static long len(Random rnd) {
        return rnd.nextInt(5) == 0 ? rnd.nextInt() & 0xFFFF_FFFFL : rnd.nextInt(0x10000);
    }
}
