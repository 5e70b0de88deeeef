package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a new, empty qcow2 image (as `qemu-img create -f qcow2` lays one out): the header
 * cluster (with the backing file format extension and the backing file name when there is a
 * backing file), one refcount table cluster, one refcount block, then the L1 table; 16-bit
 * refcounts, no lazy refcounts.
 */
public final class Qcow2Create {
    private Qcow2Create() { }

    /**
     * @param version       2 (QEMU's compat=0.10) or 3 (compat=1.1)
     * @param clusterBits   9..21 (16 is QEMU's default, 64 KiB)
     * @param backingFile   name stored in the header (relative names are relative to image's directory), or null
     * @param backingFormat "raw" or "qcow2" (stored only when there is a backing file)
     */
    public static void create(Path image, long size, int version, int clusterBits, String backingFile, String backingFormat) throws IOException {
        if (version != 2 && version != 3) throw new IllegalArgumentException("version must be 2 or 3");
        if (clusterBits < Qcow2Header.MIN_CLUSTER_BITS || clusterBits > Qcow2Header.MAX_CLUSTER_BITS) throw new IllegalArgumentException("cluster bits out of range");
        if (size < 0) throw new IllegalArgumentException("negative size");
        int cs = 1 << clusterBits;
        long l2Span = (long) cs * (cs / 8);
        long l1Entries = (size + l2Span - 1) / l2Span;
        long l1Clusters = Math.max(1, (l1Entries * 8 + cs - 1) / cs);
        long entriesPerBlock = (long) cs * 8 / 16;
        long clusters = 3 + l1Clusters;
        if (clusters > entriesPerBlock || l1Entries * 8 > Qcow2Header.MAX_L1_BYTES) throw new IllegalArgumentException("image too large for its cluster size");

        byte[] h = new byte[cs];
        BigEndian.put32(h, 0, Qcow2Header.MAGIC);
        BigEndian.put32(h, 4, version);
        BigEndian.put32(h, 20, clusterBits);
        BigEndian.put64(h, 24, size);
        BigEndian.put32(h, 36, l1Entries);
        BigEndian.put64(h, 40, 3L * cs);
        BigEndian.put64(h, 48, cs);
        BigEndian.put32(h, 56, 1);
        int at = Qcow2Header.V2_LENGTH;
        if (version == 3) {
            BigEndian.put32(h, 96, 4);
            BigEndian.put32(h, 100, Qcow2Header.V3_LENGTH);
            at = Qcow2Header.V3_LENGTH;
        }
        if (backingFile != null) {
            byte[] fmt = backingFormat.getBytes(StandardCharsets.US_ASCII);
            BigEndian.put32(h, at, HeaderExtensions.BACKING_FORMAT);
            BigEndian.put32(h, at + 4, fmt.length);
            System.arraycopy(fmt, 0, h, at + 8, fmt.length);
            at += 8 + ((fmt.length + 7) & ~7);
        }
        at += 8; // end of extensions (zeros)
        if (backingFile != null) {
            byte[] name = backingFile.getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > Qcow2Header.MAX_BACKING_NAME || at + name.length > cs) throw new IllegalArgumentException("backing file name too long");
            BigEndian.put64(h, 8, at);
            BigEndian.put32(h, 16, name.length);
            System.arraycopy(name, 0, h, at, name.length);
        }
        byte[] refTable = new byte[cs];
        BigEndian.put64(refTable, 0, 2L * cs);
        byte[] refBlock = new byte[cs];
        for (int c = 0; c < clusters; c++) BigEndian.put16(refBlock, c * 2, 1);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(h), 0);
            ch.write(ByteBuffer.wrap(refTable), cs);
            ch.write(ByteBuffer.wrap(refBlock), 2L * cs);
            // the L1 table's own bytes only, as qemu-img writes it (the file ends there; its cluster is counted)
            if (l1Entries > 0) ch.write(ByteBuffer.wrap(new byte[(int) (l1Entries * 8)]), 3L * cs);
            ch.force(true);
        }
    }

    /**
     * As create without a backing file, with QEMU's preallocation=metadata: every guest cluster
     * has its host cluster and L2 entry from the start (the data clusters sparse in the file, so
     * they read as zeros and take no space until written). Layout: header, refcount table,
     * refcount blocks, L1 table, L2 tables, data clusters; every cluster counted once.
     */
    public static void createPreallocated(Path image, long size, int version, int clusterBits) throws IOException {
        if (version != 2 && version != 3) throw new IllegalArgumentException("version must be 2 or 3");
        if (clusterBits < Qcow2Header.MIN_CLUSTER_BITS || clusterBits > Qcow2Header.MAX_CLUSTER_BITS) throw new IllegalArgumentException("cluster bits out of range");
        if (size < 0) throw new IllegalArgumentException("negative size");
        long cs = 1L << clusterBits;
        long l2Entries = cs / 8, l2Span = cs * l2Entries;
        long l1Entries = (size + l2Span - 1) / l2Span;
        if (l1Entries * 8 > Qcow2Header.MAX_L1_BYTES) throw new IllegalArgumentException("image too large for its cluster size");
        long l1Clusters = Math.max(1, (l1Entries * 8 + cs - 1) / cs);
        long dataClusters = (size + cs - 1) / cs;
        long perBlock = cs * 8 / 16; // 16-bit refcounts
        long blocks = 1, tableClusters = 1, total;
        while (true) { // the refcount structures count themselves: grow them until they cover every cluster
            total = 1 + tableClusters + blocks + l1Clusters + l1Entries + dataClusters;
            long needBlocks = (total + perBlock - 1) / perBlock, needTable = Math.max(1, (needBlocks * 8 + cs - 1) / cs);
            if (needBlocks <= blocks && needTable <= tableClusters) break;
            blocks = Math.max(blocks, needBlocks);
            tableClusters = Math.max(tableClusters, needTable);
        }
        long tableAt = cs, blocksAt = tableAt + tableClusters * cs, l1At = blocksAt + blocks * cs, l2At = l1At + l1Clusters * cs;
        long dataAt = l2At + l1Entries * cs;

        byte[] h = new byte[(int) cs];
        BigEndian.put32(h, 0, Qcow2Header.MAGIC);
        BigEndian.put32(h, 4, version);
        BigEndian.put32(h, 20, clusterBits);
        BigEndian.put64(h, 24, size);
        BigEndian.put32(h, 36, l1Entries);
        BigEndian.put64(h, 40, l1At);
        BigEndian.put64(h, 48, tableAt);
        BigEndian.put32(h, 56, (int) tableClusters);
        if (version == 3) {
            BigEndian.put32(h, 96, 4);
            BigEndian.put32(h, 100, Qcow2Header.V3_LENGTH);
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(h, 0, (int) Math.min(cs, 4096)), 0); // the header's page; the rest of its cluster a hole, as qemu-img leaves it
            ByteBuffer table = ByteBuffer.allocate((int) (tableClusters * cs));
            for (long b = 0; b < blocks; b++) table.putLong((int) (b * 8), blocksAt + b * cs);
            ch.write(table, tableAt);
            for (long b = 0; b < blocks; b++) { // refcount 1 for clusters 0..total-1
                ByteBuffer block = ByteBuffer.allocate((int) cs);
                for (long i = 0; i < perBlock && b * perBlock + i < total; i++) block.putShort((int) (i * 2), (short) 1);
                ch.write(block, blocksAt + b * cs);
            }
            ByteBuffer l1 = ByteBuffer.allocate((int) (l1Clusters * cs));
            for (long i = 0; i < l1Entries; i++) l1.putLong((int) (i * 8), (l2At + i * cs) | L2Entry.COPIED);
            ch.write(l1, l1At);
            for (long t = 0; t < l1Entries; t++) {
                ByteBuffer l2 = ByteBuffer.allocate((int) cs);
                for (long e = 0; e < l2Entries && t * l2Entries + e < dataClusters; e++) {
                    l2.putLong((int) (e * 8), (dataAt + (t * l2Entries + e) * cs) | L2Entry.COPIED);
                }
                ch.write(l2, l2At + t * cs);
            }
            ch.force(true);
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(Math.max(f.length(), dataAt + dataClusters * cs)); // the data clusters: a hole, reading zeros
            f.getFD().sync();
        }
    }

}
