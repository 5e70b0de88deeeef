package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files jvirt writes are valid for the real tools: after seeded random writes and write-zeroes
 * (unaligned, straddling clusters, over compressed, zero, shared and backing-file clusters),
 * `qemu-img check` finds no errors and no leaks, `qemu-img compare` finds the image equal to a raw
 * image given the same writes, and `qemu-img info` reports a clean image. Bigger runs:
 * -Djvirt.qcow2.ops=N.
 */
class Qcow2WritesPassQemuImgCheckTest {

    static final long SIZE = 4L << 20;
    static final int OPS = Integer.getInteger("jvirt.qcow2.ops", 120);

    @TempDir Path dir;

    @BeforeEach
    void qemu() {
        QemuImg.assumeAvailable();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v3", "v2", "v3-compressed", "v2-compressed", "v3-512-byte-clusters", "v3-refcount-bits-1",
            "v3-refcount-bits-64", "v3-on-qcow2-backing", "v2-on-raw-backing", "jvirt-created-v3", "jvirt-created-v2",
            "v3-preallocated-metadata"})
    void randomWritesLeaveAConsistentImageEqualToRawWrites(String scenario) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        byte[] start = ImageData.disk(SIZE, scenario.hashCode());
        Path src = ImageData.writeRaw(dir.resolve("start.raw"), start);
        switch (scenario) {
            case "v3" -> QemuImg.img("convert", "-O", "qcow2", src.toString(), image.toString());
            case "v2" -> QemuImg.img("convert", "-O", "qcow2", "-o", "compat=0.10", src.toString(), image.toString());
            case "v3-compressed" -> QemuImg.img("convert", "-c", "-O", "qcow2", src.toString(), image.toString());
            case "v2-compressed" -> QemuImg.img("convert", "-c", "-O", "qcow2", "-o", "compat=0.10,cluster_size=4096", src.toString(), image.toString());
            // 512-byte clusters: each refcount block covers 128 KiB, one table cluster 8 MiB: the table must grow
            case "v3-512-byte-clusters" -> {
                start = Arrays.copyOf(start, (int) (16L << 20));
                Files.write(src, start);
                QemuImg.img("convert", "-O", "qcow2", "-o", "cluster_size=512", src.toString(), image.toString());
            }
            case "v3-refcount-bits-1" -> QemuImg.img("convert", "-O", "qcow2", "-o", "refcount_bits=1,cluster_size=4096", src.toString(), image.toString());
            case "v3-refcount-bits-64" -> QemuImg.img("convert", "-O", "qcow2", "-o", "refcount_bits=64", src.toString(), image.toString());
            case "v3-on-qcow2-backing" -> {
                QemuImg.img("convert", "-c", "-O", "qcow2", src.toString(), dir.resolve("base.qcow2").toString());
                QemuImg.img("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", image.toString());
                QemuImg.io(image, "qcow2", "write -P 0x5a 64k 200k", "write -z 1M 64k");
                start = current(image);
            }
            case "v2-on-raw-backing" -> {
                QemuImg.img("create", "-f", "qcow2", "-o", "compat=0.10", "-b", "start.raw", "-F", "raw", image.toString());
                QemuImg.io(image, "qcow2", "write -P 0x5a 64k 200k");
                start = current(image);
            }
            case "jvirt-created-v3", "jvirt-created-v2" -> {
                Qcow2Create.create(image, SIZE, scenario.endsWith("v3") ? 3 : 2, 16, null, null);
                start = new byte[(int) SIZE];
            }
            case "v3-preallocated-metadata" -> {
                QemuImg.img("create", "-f", "qcow2", "-o", "preallocation=metadata", image.toString(), String.valueOf(SIZE));
                start = new byte[(int) SIZE];
            }
            default -> throw new IllegalArgumentException(scenario);
        }
        byte[] model = start.clone();
        try (BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, false)) {
            randomOps(disk, model, new Random(scenario.hashCode() * 31L), OPS);
            ImageData.assertSameBytes(model, ImageData.readAll(disk), scenario + " (read back while open)");
        }
        assertConsistentAndEqual(image, model);
        try (BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, true)) {
            ImageData.assertSameBytes(model, ImageData.readAll(disk), scenario + " (reopened)");
        }
    }

    /** Writes with qemu-made internal snapshots present: the snapshot's data must survive (shared clusters are copied, not overwritten). */
    @Test
    void writesDoNotTouchQemuSnapshots() throws Exception {
        byte[] start = ImageData.disk(SIZE, 99);
        Path src = ImageData.writeRaw(dir.resolve("start.raw"), start);
        Path image = dir.resolve("snap.qcow2");
        QemuImg.img("convert", "-c", "-O", "qcow2", src.toString(), image.toString());
        QemuImg.io(image, "qcow2", "write -P 0x77 0 256k"); // some normal clusters too
        byte[] atSnapshot = current(image);
        QemuImg.img("snapshot", "-c", "before", image.toString());
        byte[] model = atSnapshot.clone();
        try (BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, false)) {
            randomOps(disk, model, new Random(5), OPS);
        }
        assertConsistentAndEqual(image, model);
        QemuImg.img("snapshot", "-a", "before", image.toString());
        ImageData.assertSameBytes(atSnapshot, current(image), "snapshot 'before' applied by qemu-img");
        assertConsistentAndEqual(image, atSnapshot);
    }

    static void randomOps(BlockBackend disk, byte[] model, Random r, int ops) throws Exception {
        int cs = 65536;
        for (int i = 0; i < ops; i++) {
            int kind = r.nextInt(10);
            long at;
            int len;
            switch (r.nextInt(4)) {
                case 0 -> len = 1 + r.nextInt(4096);                    // small, unaligned
                case 1 -> len = 512 * (1 + r.nextInt(256));             // sectors, up to 128 KiB
                case 2 -> len = cs;                                     // whole clusters, usually straddling
                default -> len = 1 + r.nextInt(3 * cs);
            }
            at = r.nextInt(model.length - len + 1);
            if (r.nextInt(3) == 0) at &= ~(cs - 1L); // aligned: whole-cluster paths
            if (kind < 7) {
                byte[] b = new byte[len];
                r.nextBytes(b);
                if (r.nextBoolean()) Arrays.fill(b, 0, len / 2, (byte) i);
                disk.write(at, b, 0, len);
                System.arraycopy(b, 0, model, (int) at, len);
            } else if (kind < 9) {
                disk.writeZeroes(at, len, r.nextBoolean());
                Arrays.fill(model, (int) at, (int) at + len, (byte) 0);
            } else {
                disk.flush();
            }
        }
    }

    /** The image's guest bytes as qemu-img sees them. */
    byte[] current(Path image) throws Exception {
        Path raw = dir.resolve("current-" + System.nanoTime() + ".raw");
        QemuImg.img("convert", "-O", "raw", image.toString(), raw.toString());
        byte[] b = Files.readAllBytes(raw);
        Files.delete(raw);
        return b;
    }

    void assertConsistentAndEqual(Path image, byte[] model) throws Exception {
        String check = QemuImg.img("check", image.toString());
        assertTrue(check.contains("No errors were found on the image."), check);
        assertTrue(!check.contains("leaked"), check);
        Path expected = ImageData.writeRaw(dir.resolve("expected.raw"), model);
        QemuImg.img("compare", "-f", "qcow2", "-F", "raw", image.toString(), expected.toString());
        String info = QemuImg.img("info", "--output=json", image.toString());
        assertTrue(info.contains("\"virtual-size\": " + model.length + ","), info);
        assertTrue(info.contains("\"format\": \"qcow2\""), info);
        assertTrue(!info.contains("\"corrupt\": true") && !info.contains("\"dirty-flag\": true"), info);
    }

    /**
     * jvirt keeps no persistent bitmaps: opening for writing clears their autoclear bit, as the
     * format asks, so QEMU then treats them as inconsistent; their clusters leak (no corruption).
     */
    @Test
    void persistentBitmapsBecomeInconsistentNotCorrupt() throws Exception {
        Path image = dir.resolve("bitmap.qcow2");
        QemuImg.img("create", "-f", "qcow2", image.toString(), String.valueOf(SIZE));
        QemuImg.img("bitmap", "--add", image.toString(), "b0");
        byte[] model = new byte[(int) SIZE];
        try (BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, false)) {
            randomOps(disk, model, new Random(12), 20);
        }
        QemuImg.Result check = QemuImg.run("qemu-img", "check", image.toString());
        assertTrue(check.exit() == 0 || check.exit() == 3, check.out());
        assertTrue(check.out().contains("a program lacking bitmap support modified this file"), check.out());
        QemuImg.img("check", "-r", "leaks", image.toString());
        assertConsistentAndEqual(image, model);
    }

    /** 512-byte clusters and one refcount table cluster cover 8 MiB: filling 16 MiB moves the table twice. */
    @Test
    void theRefcountTableGrowsAsTheFileGrows() throws Exception {
        Path image = dir.resolve("grow.qcow2");
        long size = 16L << 20;
        Qcow2Create.create(image, size, 3, 9, null, null);
        long tableBefore = refcountTableOffset(image);
        byte[] model = new byte[(int) size];
        Random r = new Random(8);
        try (BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, false)) {
            byte[] chunk = new byte[65536];
            for (int at = 0; at < size; at += chunk.length) {
                r.nextBytes(chunk);
                disk.write(at, chunk, 0, chunk.length);
                System.arraycopy(chunk, 0, model, at, chunk.length);
            }
            randomOps(disk, model, r, OPS / 2);
        }
        assertTrue(refcountTableOffset(image) != tableBefore, "the refcount table moved");
        assertConsistentAndEqual(image, model);
    }

    static long refcountTableOffset(Path image) throws Exception {
        byte[] h = Files.readAllBytes(image);
        return BigEndian.u64(h, 48);
    }

    @Test
    void qemuImgInfoAndCheckOnAJvirtCreatedImageWithBacking() throws Exception {
        byte[] base = ImageData.disk(SIZE, 3);
        ImageData.writeRaw(dir.resolve("base.raw"), base);
        Path image = dir.resolve("ov.qcow2");
        Qcow2Create.create(image, SIZE, 3, 16, "base.raw", "raw");
        String info = QemuImg.img("info", "--output=json", image.toString());
        assertTrue(info.contains("\"backing-filename\": \"base.raw\""), info);
        assertTrue(info.contains("\"backing-filename-format\": \"raw\""), info);
        assertTrue(info.contains("\"compat\": \"1.1\""), info);
        byte[] model = base.clone();
        try (BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, false)) {
            randomOps(disk, model, new Random(11), OPS);
        }
        assertConsistentAndEqual(image, model);
        assertEquals(0, QemuImg.run("qemu-img", "compare", "-f", "raw", "-F", "raw", dir.resolve("base.raw").toString(),
                ImageData.writeRaw(dir.resolve("b.raw"), base).toString()).exit(), "the backing file is untouched");
    }

    /**
     * preallocation=metadata (libvirt's VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA, what
     * virt-install asks for a new qcow2 volume): qemu-img finds the image clean and maps every
     * guest cluster as allocated and reading zeros, as it maps its own preallocated image; with
     * 512-byte clusters the refcount blocks and table span several clusters. Writes then go in place.
     */
    @ParameterizedTest
    @ValueSource(strings = {"16 3 4194304", "16 2 1049088", "9 3 16777216"})
    void metadataPreallocationIsWhatQemuImgMakes(String spec) throws Exception {
        String[] a = spec.split(" ");
        int bits = Integer.parseInt(a[0]), version = Integer.parseInt(a[1]);
        long size = Long.parseLong(a[2]);
        Path image = dir.resolve("pre.qcow2"), reference = dir.resolve("ref.qcow2");
        Qcow2Create.createPreallocated(image, size, version, bits);
        QemuImg.img("create", "-f", "qcow2", "-o", "preallocation=metadata,cluster_size=" + (1 << bits)
                + ",compat=" + (version == 3 ? "1.1" : "0.10"), reference.toString(), String.valueOf(size));
        assertEquals(size, allocatedLength(reference), "qemu-img's own preallocated image, for reference");
        assertEquals(size, allocatedLength(image), "every guest byte has its cluster");
        byte[] model = new byte[(int) size];
        assertConsistentAndEqual(image, model);
        try (BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, false)) {
            randomOps(disk, model, new Random(21), OPS / 4);
        }
        assertConsistentAndEqual(image, model);
    }

    /**
     * How many guest bytes qemu-img map finds allocated in the image itself ("present" and
     * "data"; whether it calls a range zero depends on the host file system's blocks, not on qcow2).
     */
    private static long allocatedLength(Path image) throws Exception {
        long total = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{[^}]*\"length\": (\\d+)[^}]*\\}")
                .matcher(QemuImg.img("map", "--output=json", image.toString()));
        while (m.find()) {
            String extent = m.group();
            if (extent.contains("\"present\": true") && extent.contains("\"data\": true") && extent.contains("\"depth\": 0")) {
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }
}
