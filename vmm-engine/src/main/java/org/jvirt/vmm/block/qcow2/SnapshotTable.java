package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The internal snapshot table (qcow2.txt, "Snapshots"): variable-length entries, each naming an
 * L1 table of its own. Every entry is bounds-checked when read (its L1 table cluster aligned and
 * inside the file); extra data jvirt does not know is kept when the table is written again.
 */
record SnapshotTable(long offset, List<Entry> entries, long bytes) {

    static final int MAX_EXTRA = 1024;
    static final int EXTRA_V3 = 16; // vm_state_size_large and disk_size: what version 3 requires
    static final long MAX_TABLE_BYTES = 64L << 20; // QEMU's limit

    /** One snapshot: its L1 table, names, times, sizes, and its extra data as stored. */
    record Entry(long l1Offset, int l1Size, String id, String name, long dateSeconds, long dateNanos,
                 long vmClockNanos, long vmStateSize, long diskSize, byte[] extra) { }

    static SnapshotTable empty() {
        return new SnapshotTable(0, List.of(), 0);
    }

    static SnapshotTable load(ImageFile file, Qcow2Header h) throws IOException {
        if (h.nbSnapshots() == 0) return empty();
        long cs = h.clusterSize();
        long at = h.snapshotsOffset();
        byte[] fixed = new byte[40];
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < h.nbSnapshots(); i++) {
            if (at - h.snapshotsOffset() > MAX_TABLE_BYTES) throw new Qcow2Exception(file.path(), "snapshot table is too large");
            file.readMeta(at, fixed, 0, 40, "snapshot table entry " + i);
            long l1Offset = BigEndian.u64(fixed, 0);
            long l1Size = BigEndian.u32(fixed, 8);
            int idLen = BigEndian.u16(fixed, 12), nameLen = BigEndian.u16(fixed, 14);
            long extraLen = BigEndian.u32(fixed, 36);
            if (extraLen > MAX_EXTRA) throw new Qcow2Exception(file.path(), "snapshot " + i + " has " + extraLen + " bytes of extra data (at most " + MAX_EXTRA + ")");
            byte[] rest = new byte[(int) extraLen + idLen + nameLen];
            file.readMeta(at + 40, rest, 0, rest.length, "snapshot table entry " + i);
            long vmState = BigEndian.u32(fixed, 32);
            long diskSize = h.size();
            if (extraLen >= 8) vmState = BigEndian.u64(rest, 0);
            if (extraLen >= 16) diskSize = BigEndian.u64(rest, 8);
            if (l1Size * 8 > Qcow2Header.MAX_L1_BYTES) throw new Qcow2Exception(file.path(), "snapshot " + i + " has an L1 table of " + l1Size + " entries, too large");
            if (l1Size > 0) Qcow2Header.checkTable(file.path(), "snapshot " + i + " L1 table", l1Offset, l1Size * 8, cs, file.size());
            byte[] extra = java.util.Arrays.copyOf(rest, (int) extraLen);
            String id = new String(rest, (int) extraLen, idLen, StandardCharsets.UTF_8);
            String name = new String(rest, (int) extraLen + idLen, nameLen, StandardCharsets.UTF_8);
            list.add(new Entry(l1Offset, (int) l1Size, id, name, BigEndian.u32(fixed, 16), BigEndian.u32(fixed, 20),
                    BigEndian.u64(fixed, 24), vmState, diskSize, extra));
            at += (40 + rest.length + 7) & ~7L;
        }
        return new SnapshotTable(h.snapshotsOffset(), List.copyOf(list), at - h.snapshotsOffset());
    }

    /** The table's bytes for entries (each padded to 8 bytes). */
    static byte[] encode(List<Entry> entries) {
        int size = 0;
        for (Entry e : entries) size += entrySize(e);
        byte[] b = new byte[size];
        int at = 0;
        for (Entry e : entries) {
            byte[] id = e.id().getBytes(StandardCharsets.UTF_8), name = e.name().getBytes(StandardCharsets.UTF_8);
            BigEndian.put64(b, at, e.l1Offset());
            BigEndian.put32(b, at + 8, e.l1Size());
            BigEndian.put16(b, at + 12, id.length);
            BigEndian.put16(b, at + 14, name.length);
            BigEndian.put32(b, at + 16, e.dateSeconds());
            BigEndian.put32(b, at + 20, e.dateNanos());
            BigEndian.put64(b, at + 24, e.vmClockNanos());
            BigEndian.put32(b, at + 32, Math.min(e.vmStateSize(), 0xFFFF_FFFFL));
            byte[] extra = e.extra();
            BigEndian.put32(b, at + 36, extra.length);
            System.arraycopy(extra, 0, b, at + 40, extra.length);
            System.arraycopy(id, 0, b, at + 40 + extra.length, id.length);
            System.arraycopy(name, 0, b, at + 40 + extra.length + id.length, name.length);
            at += entrySize(e);
        }
        return b;
    }

    private static int entrySize(Entry e) {
        int n = 40 + e.extra().length + e.id().getBytes(StandardCharsets.UTF_8).length + e.name().getBytes(StandardCharsets.UTF_8).length;
        return (n + 7) & ~7;
    }

    /** Extra data as version 3 wants it: the 64-bit VM state size and the disk size. */
    static byte[] extraData(long vmStateSize, long diskSize) {
        byte[] x = new byte[EXTRA_V3];
        BigEndian.put64(x, 0, vmStateSize);
        BigEndian.put64(x, 8, diskSize);
        return x;
    }

    /** The entry whose id is key, else the first whose name is key (as QEMU looks snapshots up), or null. */
    Entry find(String key) {
        for (Entry e : entries) if (e.id().equals(key)) return e;
        for (Entry e : entries) if (e.name().equals(key)) return e;
        return null;
    }
}
