package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile images: headers, extensions, L1/L2 tables, refcount tables and blocks and snapshot
 * tables corrupted with seeded random bytes. Opening and using such an image may fail, but only
 * with a one-line IOException: never another exception, a hang, or an access outside the file.
 * More rounds: -Djvirt.qcow2.fuzz=N.
 */
class Qcow2FuzzTest {

    static final int ROUNDS = Integer.getInteger("jvirt.qcow2.fuzz", 250);
    static final int LIMIT = 4 << 20; // bytes of the disk exercised per round

    @TempDir Path dir;

    record Base(String name, byte[] bytes) { }

    @Test
    void corruptedImagesGiveOnlyCleanErrors() throws Exception {
        List<Base> bases = new ArrayList<>();
        bases.add(jvirtImage("v3", 3, 16));
        bases.add(jvirtImage("v2-512", 2, 9));
        if (QemuImg.available()) bases.add(qemuImageWithSnapshot());
        Random seeds = new Random(20261202);
        Path p = dir.resolve("fuzz.qcow2");
        for (int round = 0; round < ROUNDS; round++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            Base base = bases.get(r.nextInt(bases.size()));
            byte[] img = base.bytes().clone();
            String what = mutate(img, r);
            Files.write(p, img);
            String label = "round " + round + " seed " + seed + " on " + base.name() + ": " + what;
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> exercise(p, r, label), label);
        }
    }

    private void exercise(Path p, Random r, String label) {
        for (boolean readOnly : new boolean[] {false, true}) {
            BlockBackend d;
            try {
                d = DiskImages.open(p, ImageFormat.QCOW2, readOnly);
            } catch (IOException e) {
                clean(e, label);
                continue;
            } catch (Throwable t) {
                throw new AssertionError(label + ": open threw " + t, t);
            }
            try (d) {
                long span = Math.min(d.capacity(), LIMIT);
                byte[] buf = new byte[70_000];
                for (long at = 0; at < span; at += buf.length) {
                    int n = (int) Math.min(buf.length, span - at);
                    try {
                        d.read(at, buf, 0, n);
                    } catch (IOException e) {
                        clean(e, label);
                    }
                }
                if (!readOnly && span > 0) {
                    for (int i = 0; i < 20; i++) {
                        int n = (int) Math.min(1 + r.nextInt(buf.length), span);
                        long at = (long) (r.nextDouble() * (span - n));
                        try {
                            if (r.nextInt(4) == 0) d.writeZeroes(at, n, r.nextBoolean());
                            else d.write(at, buf, 0, n);
                        } catch (IOException e) {
                            clean(e, label);
                        }
                    }
                    d.flush();
                }
            } catch (IOException e) {
                clean(e, label);
            } catch (Throwable t) {
                throw new AssertionError(label + ": threw " + t, t);
            }
        }
    }

    private static void clean(IOException e, String label) {
        assertNotNull(e.getMessage(), label);
        assertFalse(e.getMessage().contains("\n"), label + ": multi-line message " + e.getMessage());
        if (e.getClass() != Qcow2Exception.class && e.getClass() != IOException.class) fail(label + ": unexpected " + e);
    }

    /** Corrupts img in place; returns what it did. */
    private static String mutate(byte[] img, Random r) {
        int cs = 1 << BigEndian.u32(img, 20);
        List<long[]> tables = new ArrayList<>(); // {offset, length}
        long l1 = BigEndian.u64(img, 40), l1Size = BigEndian.u32(img, 36);
        tables.add(new long[] {l1, l1Size * 8});
        long rt = BigEndian.u64(img, 48), rtClusters = BigEndian.u32(img, 56);
        tables.add(new long[] {rt, rtClusters * cs});
        for (int i = 0; i < l1Size; i++) {
            long l2 = BigEndian.u64(img, (int) (l1 + i * 8)) & L2Entry.OFFSET_MASK;
            if (l2 != 0) tables.add(new long[] {l2, cs});
        }
        for (int i = 0; i < rtClusters * cs / 8; i++) {
            long b = BigEndian.u64(img, (int) (rt + i * 8));
            if (b != 0) tables.add(new long[] {b, cs});
        }
        if (BigEndian.u32(img, 60) > 0) tables.add(new long[] {BigEndian.u64(img, 64), 256});
        switch (r.nextInt(5)) {
            case 0 -> {
                StringBuilder s = new StringBuilder("header bytes");
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    int at = r.nextInt(112);
                    img[at] = (byte) r.nextInt(256);
                    s.append(' ').append(at);
                }
                return s.toString();
            }
            case 1 -> {
                int at = 72 + r.nextInt(Math.min(cs, 1024) - 72);
                img[at] = (byte) r.nextInt(256);
                return "header extension area byte " + at;
            }
            case 2, 3 -> {
                long[] t = tables.get(r.nextInt(tables.size()));
                if (t[1] < 8) return "nothing";
                long at = t[0] + 8L * r.nextInt((int) Math.min(t[1] / 8, cs / 8));
                long v = hostile(r, img.length, cs);
                if (at + 8 <= img.length) BigEndian.put64(img, (int) at, v);
                return "table entry at " + at + " = 0x" + Long.toHexString(v);
            }
            default -> {
                int at = r.nextInt(img.length);
                img[at] ^= (byte) (1 << r.nextInt(8));
                return "bit flip at " + at;
            }
        }
    }

    /** Values a hostile table entry might hold. */
    private static long hostile(Random r, long fileSize, int cs) {
        return switch (r.nextInt(7)) {
            case 0 -> r.nextLong();
            case 1 -> (r.nextLong() & L2Entry.OFFSET_MASK) | (r.nextBoolean() ? L2Entry.COPIED : 0);
            case 2 -> ((long) r.nextInt((int) (2 * fileSize / cs) + 1) * cs) | L2Entry.COPIED;
            case 3 -> L2Entry.COMPRESSED | (r.nextLong() & 0x3fffffffffffffffL);
            case 4 -> L2Entry.ZERO | ((long) r.nextInt((int) (fileSize / cs) + 1) * cs) | (r.nextBoolean() ? L2Entry.COPIED : 0);
            case 5 -> 0;
            default -> -1L;
        };
    }

    private Base jvirtImage(String name, int version, int clusterBits) throws IOException {
        Path p = dir.resolve(name + ".qcow2");
        Qcow2Create.create(p, 2L << 20, version, clusterBits, null, null);
        try (BlockBackend d = DiskImages.open(p, ImageFormat.QCOW2, false)) {
            Random r = new Random(name.hashCode());
            byte[] b = new byte[9000];
            for (int i = 0; i < 40; i++) {
                r.nextBytes(b);
                d.write(r.nextInt((int) d.capacity() - b.length), b, 0, b.length);
            }
        }
        return new Base(name, Files.readAllBytes(p));
    }

    private Base qemuImageWithSnapshot() throws Exception {
        Path raw = ImageData.writeRaw(dir.resolve("q.raw"), ImageData.disk(2L << 20, 4));
        Path p = dir.resolve("q.qcow2");
        QemuImg.img("convert", "-c", "-O", "qcow2", "-o", "cluster_size=4096", raw.toString(), p.toString());
        QemuImg.img("snapshot", "-c", "s1", p.toString());
        QemuImg.io(p, "qcow2", "write -P 0x42 0 64k");
        return new Base("qemu-compressed-with-snapshot", Files.readAllBytes(p));
    }
}
