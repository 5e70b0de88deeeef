package org.jvirt.vmm.block.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.qcow2.Qcow2Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An overlay over a raw or qcow2 image reads as its base until written; a commit makes the base
 * read as the overlay did (data, zeroed clusters, a partial last cluster), leaving clusters the
 * overlay never wrote alone.
 */
class ExternalOverlaysTest {

    @TempDir Path dir;

    private static final int SIZE = 3 * 65536 + 4096; // a partial last cluster

    private static byte[] contents(Path image, ImageFormat f) throws IOException {
        try (BlockBackend b = DiskImages.open(image, f, true)) {
            byte[] all = new byte[(int) b.capacity()];
            b.read(0, all, 0, all.length);
            return all;
        }
    }

    private static void fill(BlockBackend b, long off, int len, int v) throws IOException {
        byte[] buf = new byte[len];
        Arrays.fill(buf, (byte) v);
        b.write(off, buf, 0, len);
    }

    private void commitOver(Path base, ImageFormat f) throws IOException {
        try (BlockBackend b = DiskImages.open(base, f, false)) {
            fill(b, 0, SIZE, 0x11);
        }
        Path overlay = dir.resolve("top.qcow2");
        ExternalOverlays.create(overlay, base, f);
        assertEquals(base.toString(), ExternalOverlays.backingFile(overlay));
        assertArrayEquals(contents(base, f), contents(overlay, ImageFormat.QCOW2), "an empty overlay reads as its base");
        try (BlockBackend o = DiskImages.open(overlay, ImageFormat.QCOW2, false)) {
            fill(o, 100, 10, 0x22);                   // inside cluster 0: copy-on-write of the rest
            o.writeZeroes(65536, 65536, false);       // cluster 1 zeroed
            fill(o, SIZE - 10, 10, 0x33);             // the partial last cluster
        }
        byte[] expected = contents(overlay, ImageFormat.QCOW2);
        assertEquals(3, ExternalOverlays.commit(overlay, base, f));
        assertArrayEquals(expected, contents(base, f));
    }

    @Test
    void commitIntoRaw() throws IOException {
        Path base = dir.resolve("base.img");
        Files.write(base, new byte[SIZE]);
        commitOver(base, ImageFormat.RAW);
    }

    @Test
    void commitIntoQcow2() throws IOException {
        Path base = dir.resolve("base.qcow2");
        Qcow2Create.create(base, SIZE, 3, 16, null, null);
        commitOver(base, ImageFormat.QCOW2);
    }

    @Test
    void anExistingOverlayIsNotOverwritten() throws IOException {
        Path base = dir.resolve("b.img");
        Files.write(base, new byte[4096]);
        Path overlay = Files.writeString(dir.resolve("o.qcow2"), "mine");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ExternalOverlays.create(overlay, base, ImageFormat.RAW));
        assertEquals("mine", Files.readString(overlay));
    }
}
