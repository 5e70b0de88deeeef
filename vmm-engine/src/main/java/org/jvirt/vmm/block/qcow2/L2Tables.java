package org.jvirt.vmm.block.qcow2;

import java.io.IOException;

/**
 * The L2 tables reached from an L1 table, through a cache. An entry is checked each time it is
 * read (reserved bits clear; a standard cluster's offset aligned and inside the file; a compressed
 * cluster's data inside the file), so a damaged table makes that request fail with a clear error
 * and never reads or writes outside the image.
 */
final class L2Tables {

    private final ImageFile file;
    private final ClusterCache cache;
    private final int clusterBits;
    private final long clusterSize;
    private final byte[] one = new byte[8];

    L2Tables(ImageFile file, int clusterBits, int slots) {
        this.file = file;
        this.clusterBits = clusterBits;
        this.clusterSize = 1L << clusterBits;
        this.cache = new ClusterCache(file, (int) clusterSize, slots, "L2 table");
    }

    ClusterCache cache() { return cache; }

    /** The entry at index of the L2 table at l2Offset, validated. */
    long get(long l2Offset, int index) throws IOException {
        long e = BigEndian.u64(cache.get(l2Offset), index * 8);
        check(e, l2Offset, index);
        return e;
    }

    void set(long l2Offset, int index, long entry) throws IOException {
        byte[] t = cache.get(l2Offset);
        BigEndian.put64(t, index * 8, entry);
        BigEndian.put64(one, 0, entry);
        file.write(l2Offset + index * 8L, one, 0, 8);
    }

    /** A whole table's bytes (cached copy; callers must not keep it across other calls). */
    byte[] table(long l2Offset) throws IOException {
        return cache.get(l2Offset);
    }

    /** Writes a complete new table at l2Offset and caches it. */
    void create(long l2Offset, byte[] content) throws IOException {
        file.write(l2Offset, content, 0, (int) clusterSize);
        cache.put(l2Offset, content);
    }

    /** Checks an entry read from a copy of the table at l2Offset (as {@link #get} checks). */
    void check(long e, long l2Offset, int index) throws IOException {
        if (e == 0) return;
        if ((e & L2Entry.COMPRESSED) != 0) {
            long off = L2Entry.compressedOffset(e, clusterBits);
            if ((e & L2Entry.COPIED) != 0) throw corrupt(e, l2Offset, index, "a compressed cluster marked COPIED");
            if (off < clusterSize || off >= file.size()) throw corrupt(e, l2Offset, index, "compressed data at offset " + off + " outside the file");
            return;
        }
        if ((e & L2Entry.L2_RESERVED) != 0) throw corrupt(e, l2Offset, index, "reserved bits set");
        long off = L2Entry.offset(e);
        if (off == 0) return;
        if (off % clusterSize != 0) throw corrupt(e, l2Offset, index, "data offset " + off + " not cluster aligned");
        if (off > file.size() - clusterSize) {
            throw corrupt(e, l2Offset, index, "data cluster at offset " + off + " past the end of the file");
        }
    }

    private Qcow2Exception corrupt(long e, long l2Offset, int index, String what) {
        return Qcow2Exception.corrupt(file.path(), "L2 table at offset " + l2Offset + " entry " + index
                + " (0x" + Long.toHexString(e) + "): " + what);
    }
}
