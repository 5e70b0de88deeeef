package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each header field and table offset is checked before use: a bad one is refused with one line naming it. */
class Qcow2HeaderValidationTest {

    @TempDir Path dir;

    Path image() throws IOException {
        Path p = dir.resolve("a.qcow2");
        Qcow2Create.create(p, 1L << 20, 3, 16, null, null);
        return p;
    }

    static void poke(Path p, long at, long value, int bytes) throws IOException {
        byte[] b = new byte[bytes];
        for (int i = bytes - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(b), at);
        }
    }

    String refusal(Path p, boolean readOnly) {
        Qcow2Exception e = assertThrows(Qcow2Exception.class, () -> DiskImages.open(p, ImageFormat.QCOW2, readOnly).close());
        return e.getMessage();
    }

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', value = {
            "0|4|0x514649fa|not a qcow2 image (bad magic)",
            "4|4|4|unsupported qcow2 version 4 (2 or 3)",
            "20|4|8|cluster_bits 8 out of range (9..21)",
            "20|4|22|cluster_bits 22 out of range (9..21)",
            "32|4|1|encrypted images are not supported (crypt_method 1)",
            "36|4|0|L1 table of 0 entries cannot map the 1048576-byte disk",
            "36|4|5000000|L1 table of 5000000 entries is too large",
            "40|8|0x30001|L1 table offset 196609 is not a cluster-aligned offset past the header",
            "40|8|0x7fff0000|L1 table at offset 2147418112 (8 bytes) lies past the end of the 196616-byte file",
            "40|8|0x10000|the L1 table overlaps the refcount table",
            "48|8|0|refcount table offset 0 is not a cluster-aligned offset past the header",
            "56|4|0|the refcount table is empty",
            "56|4|1000|refcount table of 1000 clusters is too large",
            "60|4|100000|100000 snapshots is too many (at most 65536)",
            "60|4|1|snapshot table offset 0 is not a cluster-aligned offset past the header",
            "72|8|0x20|unsupported incompatible features 0x20",
            "72|8|4|external data files are not supported",
            "72|8|16|extended L2 entries (subclusters) are not supported",
            "96|4|7|refcount_order 7 out of range (0..6)",
            "100|4|100|invalid header_length 100 (at least 104, a multiple of 8, inside the first cluster)",
            "8|8|104|backing file name length 0 out of range (1..1023)",
            "24|8|0x7000000000000000|virtual size 8070450532247928832 out of range",
    })
    void aBadFieldIsRefusedByName(long at, int bytes, String value, String message) throws IOException {
        Path p = image();
        poke(p, at, Long.decode(value), bytes);
        assertEquals("qcow2 image " + p + ": " + message, refusal(p, true));
    }

    @Test
    void tablesPointingOutsideTheFileAreRefused() throws IOException {
        Path p = image();
        poke(p, 65536, 0x123450000L, 8); // refcount table entry 0
        assertEquals("qcow2 image " + p + ": refcount block 0 at offset 4886691840 lies past the end of the file", refusal(p, false));
        Files.delete(p);
        p = image();
        poke(p, 3 * 65536, 0x8000000000000000L | 0x7fff0000L, 8); // L1 entry 0
        assertEquals("qcow2 image " + p + ": L1 table entry 0: L2 table at offset 2147418112 lies past the end of the file", refusal(p, false));
        Files.delete(p);
        p = image();
        poke(p, 3 * 65536, 0x100L, 8);
        assertEquals("qcow2 image " + p + ": L1 table entry 0 (0x100) has reserved bits set", refusal(p, false));
    }

    @Test
    void aCorruptL2EntryFailsThatRequestOnly() throws IOException {
        Path p = image();
        try (BlockBackend d = DiskImages.open(p, ImageFormat.QCOW2, false)) {
            d.write(0, new byte[] {1, 2, 3}, 0, 3);
        }
        // find the L2 table through L1 entry 0 and point entry 0 past the end of the file
        byte[] file = Files.readAllBytes(p);
        long l2 = BigEndian.u64(file, 3 * 65536) & L2Entry.OFFSET_MASK;
        poke(p, l2, 0x8000000000000000L | 0x7fff0000L, 8);
        try (BlockBackend d = DiskImages.open(p, ImageFormat.QCOW2, false)) {
            byte[] b = new byte[512];
            IOException e = assertThrows(IOException.class, () -> d.read(0, b, 0, 512));
            assertEquals("qcow2 image " + p + ": corrupt image: L2 table at offset " + l2
                    + " entry 0 (0x800000007fff0000): data cluster at offset 2147418112 past the end of the file", e.getMessage());
            d.read(65536, b, 0, 512); // other clusters still read
        }
    }

    @Test
    void aWriteThatMeetsCorruptionStopsAllWritesAndMarksTheImageCorrupt() throws IOException {
        Path p = image();
        try (BlockBackend d = DiskImages.open(p, ImageFormat.QCOW2, false)) {
            d.write(0, new byte[] {1, 2, 3}, 0, 3);
        }
        byte[] file = Files.readAllBytes(p);
        long l2 = BigEndian.u64(file, 3 * 65536) & L2Entry.OFFSET_MASK;
        poke(p, l2, 0x8000000000000000L | 0x10000L, 8); // cluster 0 now "lives" in the refcount table
        try (BlockBackend d = DiskImages.open(p, ImageFormat.QCOW2, false)) {
            byte[] b = new byte[512];
            assertEquals("qcow2 image " + p + ": corrupt image: a data cluster or L2 table at offset 65536 overlaps the image's metadata",
                    assertThrows(Qcow2Exception.class, () -> d.write(0, b, 0, 512)).getMessage());
            assertEquals("qcow2 image " + p + ": the image was found corrupt: writes are refused; repair it with 'qemu-img check -r all'",
                    assertThrows(Qcow2Exception.class, () -> d.write(65536, b, 0, 512)).getMessage());
            d.read(65536, b, 0, 512); // reads go on
        }
        assertEquals(Qcow2Header.INCOMPAT_CORRUPT, BigEndian.u64(Files.readAllBytes(p), 72), "the header's corrupt bit");
        assertEquals("qcow2 image " + p + ": the image is marked corrupt; repair it with 'qemu-img check -r all' before writing to it", refusal(p, false));
        DiskImages.open(p, ImageFormat.QCOW2, true).close();
        // a refused request is not corruption: a missing snapshot leaves the image writable
        Files.delete(p);
        Path q = image();
        try (Qcow2Image img = Qcow2Image.open(q, false, (x, f) -> null)) {
            assertThrows(Qcow2Exception.class, () -> img.applySnapshot("none"));
            img.write(0, new byte[1], 0, 1);
        }
    }

    @Test
    void dirtyAndCorruptImagesOpenReadOnlyOnly() throws IOException {
        Path p = image();
        poke(p, 72, 1, 8);
        assertEquals("qcow2 image " + p + ": the image was not closed cleanly (dirty, lazy refcounts); repair it with 'qemu-img check -r all'", refusal(p, false));
        DiskImages.open(p, ImageFormat.QCOW2, true).close();
        poke(p, 72, 2, 8);
        assertEquals("qcow2 image " + p + ": the image is marked corrupt; repair it with 'qemu-img check -r all' before writing to it", refusal(p, false));
        DiskImages.open(p, ImageFormat.QCOW2, true).close();
    }

    @Test
    void backingChainsThatLoopOrLackAFileAreRefused() throws IOException {
        Path a = dir.resolve("a.qcow2"), b = dir.resolve("b.qcow2");
        Qcow2Create.create(a, 1 << 20, 3, 16, "b.qcow2", "qcow2");
        Qcow2Create.create(b, 1 << 20, 3, 16, "a.qcow2", "qcow2");
        IOException e = assertThrows(IOException.class, () -> DiskImages.open(a, ImageFormat.QCOW2, false));
        assertEquals("backing chain loops back to " + a, e.getMessage());
        Path c = dir.resolve("c.qcow2");
        Qcow2Create.create(c, 1 << 20, 2, 16, "missing.raw", "raw");
        e = assertThrows(IOException.class, () -> DiskImages.open(c, ImageFormat.QCOW2, false));
        assertEquals("backing file " + dir.resolve("missing.raw") + ": No such file or directory", e.getMessage());
        Path d = dir.resolve("d.qcow2");
        Qcow2Create.create(d, 1 << 20, 3, 16, "x.vmdk", "vmdk");
        e = assertThrows(IOException.class, () -> DiskImages.open(d, ImageFormat.QCOW2, false));
        assertEquals("qcow2 image " + d + ": backing file format 'vmdk' is not supported (raw or qcow2)", e.getMessage());
    }
}
