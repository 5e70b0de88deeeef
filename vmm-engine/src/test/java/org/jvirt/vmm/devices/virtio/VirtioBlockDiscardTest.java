package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.block.qcow2.Qcow2Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtio-blk write-zeroes (every writable disk) and discard (backends that release space: qcow2), virtio spec 5.2.6. */
class VirtioBlockDiscardTest {

    static final long HDR = 0x20000, STATUS = 0x21000, RANGES = 0x22000;
    static final int CLUSTER = 65536;

    @TempDir Path dir;

    static int request(VirtioTestDriver d, int type, long[]... ranges) {
        for (int i = 0; i < ranges.length; i++) {
            d.mem.writeLong(RANGES + 16L * i, ranges[i][0]);
            d.mem.writeInt(RANGES + 16L * i + 8, (int) ranges[i][1]);
            d.mem.writeInt(RANGES + 16L * i + 12, (int) ranges[i][2]);
        }
        d.header(HDR, type, 0);
        d.mem.writeByte(STATUS, (byte) 0xEE);
        d.submit(new long[] {HDR, 16, 0}, new long[] {RANGES, 16L * ranges.length, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        return d.mem.readByte(STATUS) & 0xFF;
    }

    static int initialize(VirtioTestDriver d) {
        return d.initialize(VirtioDevice.F_VERSION_1 | VirtioDevice.F_INDIRECT_DESC | VirtioBlock.F_FLUSH
                | (d.deviceFeatures() & (VirtioBlock.F_DISCARD | VirtioBlock.F_WRITE_ZEROES)));
    }

    @Test
    void writeZeroesOnARawDiskAndNoDiscard() throws Exception {
        Path image = dir.resolve("disk.img");
        byte[] content = new byte[64 * 512];
        java.util.Arrays.fill(content, (byte) 7);
        Files.write(image, content);
        try (VirtioBlock blk = new VirtioBlock(image, false, "r")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            assertNotEquals(0, d.deviceFeatures() & VirtioBlock.F_WRITE_ZEROES);
            assertEquals(0, d.deviceFeatures() & VirtioBlock.F_DISCARD, "a raw file cannot release space from Java");
            assertEquals(0xF, initialize(d));
            assertEquals(VirtioBlock.MAX_WRITE_ZEROES_SECTORS, d.mmio.read(d.device + 0x30, 4));
            assertEquals(0, d.mmio.read(d.device + 0x38, 1), "write_zeroes_may_unmap");
            assertEquals(VirtioBlock.S_OK, request(d, VirtioBlock.T_WRITE_ZEROES, new long[] {2, 3, 0}, new long[] {10, 1, 1}));
            assertEquals(VirtioBlock.S_UNSUPP, request(d, VirtioBlock.T_DISCARD, new long[] {2, 3, 0}));
        }
        byte[] after = Files.readAllBytes(image);
        for (int i = 0; i < after.length; i++) {
            int sector = i / 512;
            assertEquals(sector >= 2 && sector < 5 || sector == 10 ? 0 : 7, after[i], "byte " + i);
        }
    }

    @Test
    void discardReleasesWholeQcow2Clusters() throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2Create.create(image, 8L * CLUSTER, 3, 16, null, null);
        BlockBackend disk = DiskImages.open(image, ImageFormat.QCOW2, false);
        byte[] ones = new byte[8 * CLUSTER];
        java.util.Arrays.fill(ones, (byte) 1);
        disk.write(0, ones, 0, ones.length);
        long fullSize = Files.size(image);
        try (VirtioBlock blk = new VirtioBlock(disk, "q")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            assertNotEquals(0, d.deviceFeatures() & VirtioBlock.F_DISCARD);
            assertEquals(0xF, initialize(d));
            assertEquals(CLUSTER / 512, d.mmio.read(d.device + 0x2C, 4), "discard_sector_alignment: the cluster size");
            assertEquals(1, d.mmio.read(d.device + 0x38, 1), "write_zeroes_may_unmap");
            int spc = CLUSTER / 512;
            // clusters 1-2 whole, plus half of cluster 3: only 1-2 are released
            assertEquals(VirtioBlock.S_OK, request(d, VirtioBlock.T_DISCARD, new long[] {spc, 2L * spc + spc / 2, 0}));
            // write-zeroes with unmap on cluster 5 and without on one sector of cluster 6
            assertEquals(VirtioBlock.S_OK, request(d, VirtioBlock.T_WRITE_ZEROES, new long[] {5L * spc, spc, 1}, new long[] {6L * spc, 1, 0}));
            assertEquals(VirtioBlock.S_UNSUPP, request(d, VirtioBlock.T_DISCARD, new long[] {0, 1, 1}), "unmap flag on a discard");
            assertEquals(VirtioBlock.S_UNSUPP, request(d, VirtioBlock.T_WRITE_ZEROES, new long[] {0, 1, 2}), "unknown flag");
            assertEquals(VirtioBlock.S_IOERR, request(d, VirtioBlock.T_WRITE_ZEROES, new long[] {8L * spc - 1, 2, 0}), "past the end");
            assertEquals(VirtioBlock.S_IOERR, request(d, VirtioBlock.T_WRITE_ZEROES, new long[] {0, VirtioBlock.MAX_WRITE_ZEROES_SECTORS + 1, 0}));
            long[][] many = new long[VirtioBlock.MAX_RANGE_SEGS + 1][];
            for (int i = 0; i < many.length; i++) many[i] = new long[] {i, 1, 0};
            assertEquals(VirtioBlock.S_IOERR, request(d, VirtioBlock.T_WRITE_ZEROES, many), "too many segments");
        }
        try (BlockBackend b = DiskImages.open(image, ImageFormat.QCOW2, true)) {
            byte[] all = new byte[8 * CLUSTER];
            b.read(0, all, 0, all.length);
            for (int i = 0; i < all.length; i++) {
                long c = i / CLUSTER;
                boolean zero = c == 1 || c == 2 || c == 5 || (c == 6 && i % CLUSTER < 512);
                assertEquals(zero ? 0 : 1, all[i], "byte " + i);
            }
        }
        // the released clusters are free for reuse: writing them again does not grow the file
        try (BlockBackend b = DiskImages.open(image, ImageFormat.QCOW2, false)) {
            b.write(CLUSTER, ones, 0, 3 * CLUSTER);
        }
        assertEquals(fullSize, Files.size(image));
    }

    @Test
    void readOnlyDisksOfferNeither() throws Exception {
        Path image = dir.resolve("ro.qcow2");
        Qcow2Create.create(image, 8L * CLUSTER, 3, 16, null, null);
        try (VirtioBlock blk = new VirtioBlock(DiskImages.open(image, ImageFormat.QCOW2, true), "ro")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            assertEquals(0, d.deviceFeatures() & (VirtioBlock.F_DISCARD | VirtioBlock.F_WRITE_ZEROES));
            assertEquals(0xF, initialize(d));
            assertEquals(VirtioBlock.S_IOERR, request(d, VirtioBlock.T_WRITE_ZEROES, new long[] {0, 1, 0}));
            assertEquals(VirtioBlock.S_IOERR, request(d, VirtioBlock.T_DISCARD, new long[] {0, 1, 0}));
        }
    }
}
