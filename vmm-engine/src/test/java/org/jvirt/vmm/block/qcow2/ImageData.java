package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.jvirt.vmm.block.BlockBackend;

/** Test data for images: seeded disk contents and whole-disk comparisons. */
final class ImageData {
    private ImageData() { }

    /**
     * A raw disk of size bytes: 64 KiB stretches of random bytes, of text-like (compressible)
     * bytes and of zeros (which qemu-img leaves unallocated), chosen by seed.
     */
    static byte[] disk(long size, long seed) {
        Random r = new Random(seed);
        byte[] d = new byte[(int) size];
        for (int at = 0; at < d.length; at += 65536) {
            int n = Math.min(65536, d.length - at);
            switch (r.nextInt(3)) {
                case 0 -> {
                    byte[] b = new byte[n];
                    r.nextBytes(b);
                    System.arraycopy(b, 0, d, at, n);
                }
                case 1 -> {
                    for (int i = 0; i < n; i++) d[at + i] = (byte) ('a' + (i * 7 + at / 65536) % 13);
                }
                default -> { }
            }
        }
        return d;
    }

    static Path writeRaw(Path p, byte[] data) throws IOException {
        Files.write(p, data);
        return p;
    }

    /** The whole disk, read in odd-sized pieces (so reads straddle clusters). */
    static byte[] readAll(BlockBackend b) throws IOException {
        byte[] all = new byte[(int) b.capacity()];
        for (int at = 0; at < all.length; ) {
            int n = Math.min(12_345 + (at % 7) * 4096, all.length - at);
            b.read(at, all, at, n);
            at += n;
        }
        return all;
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) fail(what + ": first difference at byte " + i + " (cluster 0x" + Long.toHexString(i & ~0xFFFFL) + ")");
        }
    }
}
