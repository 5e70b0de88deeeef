package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jvirt reads what the real qemu-img and qemu-io write: qcow2 v2 and v3, compressed clusters,
 * zero clusters, backing chains through qcow2 and raw images; the reference is
 * `qemu-img convert -O raw` of the same image.
 */
class Qcow2ReadsQemuImagesTest {

    static final long SIZE = 4L << 20;

    @TempDir Path dir;

    @BeforeEach
    void qemu() {
        QemuImg.assumeAvailable();
    }

    @ParameterizedTest(name = "compat={0} cluster_size={1} compressed={2}")
    @CsvSource({"0.10,65536,false", "1.1,65536,false", "0.10,65536,true", "1.1,65536,true",
            "1.1,4096,true", "1.1,512,false", "1.1,2097152,true"})
    void convertedImagesReadAsTheirRawSource(String compat, int clusterSize, boolean compress) throws Exception {
        byte[] data = ImageData.disk(SIZE, clusterSize + (compress ? 1 : 0));
        Path raw = ImageData.writeRaw(dir.resolve("src.raw"), data);
        Path q = dir.resolve("img.qcow2");
        if (compress) QemuImg.img("convert", "-c", "-f", "raw", "-O", "qcow2", "-o", "compat=" + compat + ",cluster_size=" + clusterSize, raw.toString(), q.toString());
        else QemuImg.img("convert", "-f", "raw", "-O", "qcow2", "-o", "compat=" + compat + ",cluster_size=" + clusterSize, raw.toString(), q.toString());
        try (Qcow2Image img = Qcow2Image.open(q, true, (p, f) -> { throw new AssertionError("no backing expected"); })) {
            assertEquals(compat.equals("0.10") ? 2 : 3, img.version());
            assertEquals(clusterSize, img.clusterSize());
            assertEquals(SIZE, img.capacity());
            ImageData.assertSameBytes(data, ImageData.readAll(img), q.getFileName().toString());
        }
    }

    @Test
    void backingChainsOfQcow2AndRawWithZeroClusters() throws Exception {
        byte[] data = ImageData.disk(SIZE, 42);
        Path baseRaw = ImageData.writeRaw(dir.resolve("base.raw"), data);
        Path base = dir.resolve("base.qcow2");
        QemuImg.img("convert", "-c", "-f", "raw", "-O", "qcow2", baseRaw.toString(), base.toString());
        Path mid = dir.resolve("mid.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-o", "compat=0.10", "-b", "base.qcow2", "-F", "qcow2", mid.toString());
        QemuImg.io(mid, "qcow2", "write -P 0x11 100k 300k", "write -P 0x22 3M 64k");
        // the top is larger than its backing: past the backing's end it reads zeros
        Path top = dir.resolve("top.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-b", mid.toString(), "-F", "qcow2", top.toString(), "6M");
        QemuImg.io(top, "qcow2", "write -P 0x33 200k 8k", "write -z 1M 128k", "write -z 3M 64k", "write -P 0x44 5M 70k",
                "write -z -u 1536k 64k");
        assertTrue(QemuImg.img("map", "--output=json", top.toString()).contains("\"zero\": true"), "qemu-io made zero clusters");
        Path onRaw = dir.resolve("on-raw.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", onRaw.toString());
        QemuImg.io(onRaw, "qcow2", "write -P 0x55 1000 5000", "write -z 2M 64k");

        for (Path image : new Path[] {mid, top, onRaw}) {
            Path expected = dir.resolve(image.getFileName() + ".raw");
            QemuImg.img("convert", "-O", "raw", image.toString(), expected.toString());
            try (BlockBackend b = DiskImages.open(image, ImageFormat.QCOW2, true)) {
                ImageData.assertSameBytes(Files.readAllBytes(expected), ImageData.readAll(b), image.getFileName().toString());
            }
        }
    }

    @Test
    void backingFileFormatIsTakenFromTheHeader() throws Exception {
        Path base = dir.resolve("base.raw");
        // a raw backing file that starts like a qcow2 image is still read raw when backing_fmt says raw
        byte[] data = ImageData.disk(SIZE, 7);
        data[0] = 'Q'; data[1] = 'F'; data[2] = 'I'; data[3] = (byte) 0xfb;
        ImageData.writeRaw(base, data);
        Path ov = dir.resolve("ov.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", ov.toString());
        try (Qcow2Image img = Qcow2Image.open(ov, true, (p, f) -> DiskImages.open(p, ImageFormat.parse(f), true))) {
            assertEquals("base.raw", img.backingFile());
            assertEquals("raw", img.backingFormat());
            ImageData.assertSameBytes(data, ImageData.readAll(img), "overlay on raw");
        }
    }

    /** Features jvirt does not implement, in images the real qemu-img made, are refused by name. */
    @Test
    void unsupportedFeaturesOfQemuImagesAreRefusedByName() throws Exception {
        Path x = dir.resolve("extl2.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-o", "extended_l2=on", x.toString(), "1M");
        assertRefused(x, "extended L2 entries (subclusters) are not supported");
        Path z = dir.resolve("zstd.qcow2");
        if (QemuImg.run("qemu-img", "create", "-f", "qcow2", "-o", "compression_type=zstd", z.toString(), "1M").exit() == 0) {
            assertRefused(z, "compression type 1 is not supported (zlib only)");
        }
        Path d = dir.resolve("ext.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-o", "data_file=" + dir.resolve("ext.data"), d.toString(), "1M");
        assertRefused(d, "external data files are not supported");
        // (encryption: Qcow2HeaderValidationTest; creating a LUKS image costs seconds of key derivation)
    }

    /** lazy_refcounts=on allows lazy updates; jvirt never makes them, so a clean image stays clean. */
    @Test
    void aLazyRefcountsImageIsWrittenWithEagerRefcounts() throws Exception {
        Path p = dir.resolve("lazy.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-o", "lazy_refcounts=on", p.toString(), "1M");
        try (BlockBackend b = DiskImages.open(p, ImageFormat.QCOW2, false)) {
            b.write(1000, new byte[100_000], 0, 100_000);
        }
        assertTrue(QemuImg.img("check", p.toString()).contains("No errors were found on the image."));
        assertTrue(QemuImg.img("info", p.toString()).contains("lazy refcounts: true"));
    }

    void assertRefused(Path image, String why) {
        Qcow2Exception e = org.junit.jupiter.api.Assertions.assertThrows(Qcow2Exception.class,
                () -> DiskImages.open(image, ImageFormat.QCOW2, true).close());
        assertEquals("qcow2 image " + image + ": " + why, e.getMessage());
    }
}
