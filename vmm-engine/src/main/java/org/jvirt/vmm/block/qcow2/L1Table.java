package org.jvirt.vmm.block.qcow2;

import java.io.IOException;

/**
 * An L1 table (the active one, or a snapshot's): one entry per L2 table, kept in memory and
 * written through entry by entry. Every entry is checked when loaded: reserved bits clear, the L2
 * offset cluster aligned and inside the file.
 */
final class L1Table {

    private final ImageFile file;
    private final long offset;
    private final long[] entries;
    private final byte[] one = new byte[8];

    private L1Table(ImageFile file, long offset, long[] entries) {
        this.file = file;
        this.offset = offset;
        this.entries = entries;
    }

    static L1Table load(ImageFile file, long offset, int size, long clusterSize, String what) throws IOException {
        byte[] raw = new byte[size * 8];
        if (size > 0) file.readMeta(offset, raw, 0, raw.length, what);
        long[] entries = new long[size];
        long fileSize = file.size();
        for (int i = 0; i < size; i++) {
            long e = BigEndian.u64(raw, i * 8);
            checkEntry(file, what, i, e, clusterSize, fileSize);
            entries[i] = e;
        }
        return new L1Table(file, offset, entries);
    }

    static void checkEntry(ImageFile file, String what, int i, long e, long clusterSize, long fileSize) throws Qcow2Exception {
        if ((e & L2Entry.L1_RESERVED) != 0) {
            throw new Qcow2Exception(file.path(), what + " entry " + i + " (0x" + Long.toHexString(e) + ") has reserved bits set");
        }
        long l2 = L2Entry.offset(e);
        if (l2 == 0) return;
        if (l2 % clusterSize != 0) throw new Qcow2Exception(file.path(), what + " entry " + i + ": L2 table offset " + l2 + " is not cluster aligned");
        if (l2 > fileSize - clusterSize) throw new Qcow2Exception(file.path(), what + " entry " + i + ": L2 table at offset " + l2 + " lies past the end of the file");
    }

    int size() { return entries.length; }
    long offset() { return offset; }

    long get(int index) {
        return entries[index];
    }

    void set(int index, long entry) throws IOException {
        entries[index] = entry;
        BigEndian.put64(one, 0, entry);
        file.write(offset + index * 8L, one, 0, 8);
    }

    long[] entries() {
        return entries.clone();
    }

    /** Replaces every entry (a snapshot applied) with one write of the whole table. */
    void setAll(long[] replacement) throws IOException {
        System.arraycopy(replacement, 0, entries, 0, entries.length);
        byte[] raw = toBytes();
        file.write(offset, raw, 0, raw.length);
    }

    /** The table's bytes as stored (to copy it for a snapshot). */
    byte[] toBytes() {
        byte[] raw = new byte[entries.length * 8];
        for (int i = 0; i < entries.length; i++) BigEndian.put64(raw, i * 8, entries[i]);
        return raw;
    }
}
