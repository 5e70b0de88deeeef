package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The internal snapshot table (qcow2.txt, "Snapshots"): variable-length entries, each naming an
 * L1 table of its own. Every entry is bounds-checked when read; the table's L1 tables must be
 * cluster aligned and inside the file.
 */
record SnapshotTable(List<Snapshot> snapshots, long bytes) {

    static final int MAX_EXTRA = 1024;
    static final long MAX_TABLE_BYTES = 64L << 20; // QEMU's limit

    /** One snapshot: its L1 table, names, times and sizes. */
    record Snapshot(long l1Offset, int l1Size, String id, String name, long dateSeconds, long dateNanos,
                    long vmClockNanos, long vmStateSize, long diskSize) { }

    static SnapshotTable load(ImageFile file, Qcow2Header h) throws IOException {
        List<Snapshot> list = new ArrayList<>();
        if (h.nbSnapshots() == 0) return new SnapshotTable(list, 0);
        long cs = h.clusterSize();
        long at = h.snapshotsOffset();
        byte[] fixed = new byte[40];
        for (int i = 0; i < h.nbSnapshots(); i++) {
            if (at - h.snapshotsOffset() > MAX_TABLE_BYTES) throw new Qcow2Exception(file.path(), "snapshot table is too large");
            file.readMeta(at, fixed, 0, 40, "snapshot table entry " + i);
            long l1Offset = BigEndian.u64(fixed, 0);
            long l1Size = BigEndian.u32(fixed, 8);
            int idLen = BigEndian.u16(fixed, 12), nameLen = BigEndian.u16(fixed, 14);
            long extra = BigEndian.u32(fixed, 36);
            if (extra > MAX_EXTRA) throw new Qcow2Exception(file.path(), "snapshot " + i + " has " + extra + " bytes of extra data (at most " + MAX_EXTRA + ")");
            byte[] rest = new byte[(int) extra + idLen + nameLen];
            file.readMeta(at + 40, rest, 0, rest.length, "snapshot table entry " + i);
            long vmState = BigEndian.u32(fixed, 32);
            long diskSize = h.size();
            if (extra >= 8) vmState = BigEndian.u64(rest, 0);
            if (extra >= 16) diskSize = BigEndian.u64(rest, 8);
            if (l1Size * 8 > Qcow2Header.MAX_L1_BYTES) throw new Qcow2Exception(file.path(), "snapshot " + i + " has an L1 table of " + l1Size + " entries, too large");
            if (l1Size > 0) Qcow2Header.checkTable(file.path(), "snapshot " + i + " L1 table", l1Offset, l1Size * 8, cs, file.size());
            String id = new String(rest, (int) extra, idLen, StandardCharsets.UTF_8);
            String name = new String(rest, (int) extra + idLen, nameLen, StandardCharsets.UTF_8);
            list.add(new Snapshot(l1Offset, (int) l1Size, id, name, BigEndian.u32(fixed, 16), BigEndian.u32(fixed, 20),
                    BigEndian.u64(fixed, 24), vmState, diskSize));
            at += (40 + rest.length + 7) & ~7L;
        }
        return new SnapshotTable(List.copyOf(list), at - h.snapshotsOffset());
    }
}
