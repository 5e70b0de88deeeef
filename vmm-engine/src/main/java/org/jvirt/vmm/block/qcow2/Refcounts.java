package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The refcount table and its refcount blocks (qcow2.txt, "Host cluster management"): how many
 * references each host cluster has, in entries of refcount_bits (1..64) bits. The table is kept in
 * memory; blocks go through a small cache; every change is written to the file at once (lazy
 * refcounts are never used), only the bytes that changed.
 */
final class Refcounts {

    private final ImageFile file;
    private final Path path;
    private final int clusterSize;
    private final int bits;
    private final long entriesPerBlock;
    private final long maxRefcount;
    private final ClusterCache blocks;
    private final byte[] one = new byte[8];
    private long[] table;
    private long tableOffset;
    private int tableClusters;

    private Refcounts(ImageFile file, Qcow2Header h, long[] table) {
        this.file = file;
        this.path = file.path();
        this.clusterSize = (int) h.clusterSize();
        this.bits = h.refcountBits();
        this.entriesPerBlock = (long) clusterSize * 8 / bits;
        this.maxRefcount = bits == 64 ? Long.MAX_VALUE : (1L << bits) - 1;
        this.blocks = new ClusterCache(file, clusterSize, 8, "refcount block");
        this.table = table;
        this.tableOffset = h.refcountTableOffset();
        this.tableClusters = h.refcountTableClusters();
    }

    /** Reads the refcount table; every block offset must be aligned, non-zero when set, inside the file. */
    static Refcounts load(ImageFile file, Qcow2Header h) throws IOException {
        int cs = (int) h.clusterSize();
        byte[] raw = new byte[h.refcountTableClusters() * cs];
        file.readMeta(h.refcountTableOffset(), raw, 0, raw.length, "refcount table");
        long[] table = new long[raw.length / 8];
        long fileSize = file.size();
        for (int i = 0; i < table.length; i++) {
            long e = BigEndian.u64(raw, i * 8);
            if (e == 0) continue;
            if ((e & (cs - 1)) != 0 || e < 0) {
                throw new Qcow2Exception(file.path(), "refcount table entry " + i + " (0x" + Long.toHexString(e) + ") is not a cluster-aligned offset");
            }
            if (e > fileSize - cs) throw new Qcow2Exception(file.path(), "refcount block " + i + " at offset " + e + " lies past the end of the file");
            if (Qcow2Header.overlaps(e, cs, h.l1TableOffset(), h.l1Size() * 8L)
                    || Qcow2Header.overlaps(e, cs, h.refcountTableOffset(), (long) h.refcountTableClusters() * cs)) {
                throw new Qcow2Exception(file.path(), "refcount block " + i + " at offset " + e + " overlaps the L1 or refcount table");
            }
            table[i] = e;
        }
        return new Refcounts(file, h, table);
    }

    long entriesPerBlock() { return entriesPerBlock; }
    int tableEntries() { return table.length; }
    long tableOffset() { return tableOffset; }
    int tableClusters() { return tableClusters; }
    int clusterSize() { return clusterSize; }

    boolean hasBlock(long range) {
        return range < table.length && table[(int) range] != 0;
    }

    /** Refcount of host cluster index (0 where no block describes it). */
    long get(long cluster) throws IOException {
        long range = cluster / entriesPerBlock;
        if (!hasBlock(range)) return 0;
        byte[] b = blocks.get(table[(int) range]);
        return decode(b, (int) (cluster % entriesPerBlock));
    }

    /** Sets the refcount of a cluster whose block exists; writes the changed bytes through. */
    void set(long cluster, long value) throws IOException {
        long range = cluster / entriesPerBlock;
        if (!hasBlock(range)) throw new IllegalStateException("no refcount block for cluster " + cluster);
        if (value < 0 || value > maxRefcount) throw Qcow2Exception.corrupt(path, "refcount of cluster " + cluster + " would overflow");
        long blockOffset = table[(int) range];
        byte[] b = blocks.get(blockOffset);
        int index = (int) (cluster % entriesPerBlock);
        int at = encode(b, index, value);
        int n = Math.max(1, bits / 8);
        file.write(blockOffset + at, b, at, n);
    }

    /** Adds delta to a cluster's refcount; a count going below zero or past the maximum is corruption. */
    long adjust(long cluster, int delta) throws IOException {
        long v = get(cluster) + delta;
        if (v < 0) throw Qcow2Exception.corrupt(path, "refcount of cluster at offset " + cluster * clusterSize + " would drop below zero");
        set(cluster, v);
        return v;
    }

    /**
     * Installs a new, empty refcount block for range at blockOffset; when selfIndex >= 0 the block
     * counts itself (it lies in its own range) at that index. The block is written before the
     * table entry that points to it.
     */
    void createBlock(long range, long blockOffset, int selfIndex) throws IOException {
        byte[] b = new byte[clusterSize];
        if (selfIndex >= 0) encode(b, selfIndex, 1);
        file.write(blockOffset, b, 0, clusterSize);
        blocks.put(blockOffset, b);
        table[(int) range] = blockOffset;
        BigEndian.put64(one, 0, blockOffset);
        file.write(tableOffset + range * 8, one, 0, 8);
    }

    /** Switches to a table already written (and pointed to by the header) at offset. */
    void replaceTable(long offset, int clusters, long[] entries) {
        table = entries;
        tableOffset = offset;
        tableClusters = clusters;
    }

    long[] tableCopy(int entries) {
        return java.util.Arrays.copyOf(table, entries);
    }

    /** Encodes value into a block's byte image (for blocks built in memory before they are written). */
    void encodeInto(byte[] block, long index, long value) {
        encode(block, (int) index, value);
    }

    void forget(long hostOffset) {
        blocks.invalidate(hostOffset);
    }

    private long decode(byte[] b, int index) {
        if (bits >= 8) {
            int n = bits / 8, at = index * n;
            long v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | (b[at + i] & 0xFF);
            return v;
        }
        int bit = index * bits;
        return (b[bit >>> 3] >>> (bit & 7)) & ((1 << bits) - 1);
    }

    /** Returns the byte offset in the block that changed (the first of them). */
    private int encode(byte[] b, int index, long value) {
        if (bits >= 8) {
            int n = bits / 8, at = index * n;
            for (int i = n - 1; i >= 0; i--) {
                b[at + i] = (byte) value;
                value >>>= 8;
            }
            return at;
        }
        int bit = index * bits, at = bit >>> 3, shift = bit & 7, mask = ((1 << bits) - 1) << shift;
        b[at] = (byte) ((b[at] & ~mask) | ((int) value << shift) & mask);
        return at;
    }
}
