package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile driver with a fixed random seed: random descriptors (addresses in, at the edge of and
 * outside RAM, huge lengths, random flags and links), random ring indices and random register
 * writes. Nothing may escape a BAR access, and the device is either working or asks for a reset.
 */
class VirtioFuzzTest {

    @TempDir Path dir;

    @Test
    void randomRingsNeverEscapeTheDevice() throws Exception {
        Path image = dir.resolve("fuzz.img");
        Files.write(image, new byte[32 * 512]);
        try (VirtioBlock blk = new VirtioBlock(image, false, "fuzz")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            long ram = d.mem.size();
            Random rnd = new Random(0x5eed);
            int needsReset = 0, completed = 0;
            for (int round = 0; round < 400; round++) {
                assertEquals(0xF, d.initialize());
                for (int i = 0; i < d.queueSize; i++) {
                    d.desc(VirtioTestDriver.DESC, i, randomAddr(rnd, ram), randomLen(rnd), rnd.nextInt(8), rnd.nextInt(d.queueSize + 4));
                    d.desc(VirtioTestDriver.INDIRECT, i, randomAddr(rnd, ram), randomLen(rnd), rnd.nextInt(8), rnd.nextInt(d.queueSize + 4));
                }
                for (long a = 0x20000; a < 0x20100; a += 16) d.header(a, rnd.nextInt(10), rnd.nextInt(40));
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) d.publish(rnd.nextInt(d.queueSize + 2));
                if (rnd.nextInt(10) == 0) d.mem.writeShort(VirtioTestDriver.AVAIL + 2, (short) rnd.nextInt(65536));
                for (int i = 0; i < 3; i++) {
                    if (rnd.nextInt(4) == 0) d.mmio.write(d.common + rnd.nextInt(0x40), 1 << rnd.nextInt(3), rnd.nextLong());
                    d.kick(rnd.nextInt(3));
                }
                int status = d.status();
                if ((status & 0x40) != 0) needsReset++;
                completed += d.usedIdx();
                assertEquals(32 * 512, Files.size(image), "the image never grows");
            }
            // Both outcomes occur, so the fuzzer reaches past the first checks.
            assertTrue(needsReset > 0, "some rounds need a reset");
            assertTrue(completed > 0, "some requests complete");
        }
    }

    @Test
    void randomConfigSpaceAndMmioAccessesNeverThrow() throws Exception {
        Path image = dir.resolve("cfg.img");
        Files.write(image, new byte[8 * 512]);
        try (VirtioBlock blk = new VirtioBlock(image, false, "cfg")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            Random rnd = new Random(7);
            for (int i = 0; i < 50_000; i++) {
                int reg = rnd.nextInt(256);
                int size = 1 << rnd.nextInt(3);
                reg &= ~(size - 1);
                switch (rnd.nextInt(4)) {
                    case 0 -> d.cfgWrite(reg, size, rnd.nextInt(8) == 0 ? 0xFFFF_FFFFL : rnd.nextLong());
                    case 1 -> d.cfgRead(reg, size);
                    case 2 -> d.mmio.write(0xE000_0000L + rnd.nextInt(0x20000), size, rnd.nextLong());
                    default -> d.mmio.read(0xE000_0000L + rnd.nextInt(0x20000), size);
                }
            }
            d.bridge.reset(); // and the machine can still be brought back
            d.cfgWrite(0x04, 2, d.cfgRead(0x04, 2) | 0x4);
            assertEquals(0xF, d.initialize());
        }
    }

    private static long randomAddr(Random rnd, long ram) {
        return switch (rnd.nextInt(6)) {
            case 0 -> ram - 1 - rnd.nextInt(16);
            case 1 -> ram + rnd.nextInt(4096);
            case 2 -> rnd.nextLong();
            case 3 -> -1L - rnd.nextInt(16);
            default -> 0x20000 + 16L * rnd.nextInt(16); // headers and data in RAM
        };
    }

    private static long randomLen(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 16;
            case 3 -> 512;
            case 4 -> 0xFFFF_FFFFL - rnd.nextInt(16);
            default -> rnd.nextInt(2048);
        };
    }
}
