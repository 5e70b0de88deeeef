package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal snapshots (qcow2.txt, "Snapshots"), as QEMU's block/qcow2-snapshot.c makes them:
 * <ul>
 * <li>create: every cluster the active L1 table reaches gets one more reference (so that later
 *     writes copy instead of overwriting), the L1 table is copied, and a new snapshot table with
 *     the entry is written and switched to in the header;</li>
 * <li>apply: the snapshot's tree gets a reference, its L1 table replaces the active one, and the
 *     old active tree loses one;</li>
 * <li>delete: the table without the entry is switched to, then the snapshot's tree loses its
 *     reference and its L1 table is freed.</li>
 * </ul>
 * After each, the COPIED flags of the active tables are recomputed from the refcounts. The
 * order of the writes is such that a crash leaks clusters at worst, never loses data.
 */
final class InternalSnapshots {

    private final ImageFile file;
    private final Path path;
    private final Qcow2Header header;
    private final L1Table active;
    private final L2Tables l2;
    private final Refcounts refcounts;
    private final int clusterBits;
    private final int clusterSize;
    private ClusterAllocator allocator;
    private SnapshotTable table;

    InternalSnapshots(ImageFile file, Qcow2Header header, L1Table active, L2Tables l2, Refcounts refcounts, SnapshotTable table) {
        this.file = file;
        this.path = file.path();
        this.header = header;
        this.active = active;
        this.l2 = l2;
        this.refcounts = refcounts;
        this.clusterBits = header.clusterBits();
        this.clusterSize = (int) header.clusterSize();
        this.table = table;
    }

    void setAllocator(ClusterAllocator allocator) {
        this.allocator = allocator;
    }

    SnapshotTable table() { return table; }

    List<Qcow2Snapshot> list() {
        List<Qcow2Snapshot> l = new ArrayList<>();
        for (SnapshotTable.Entry e : table.entries()) {
            l.add(new Qcow2Snapshot(e.id(), e.name(), Instant.ofEpochSecond(e.dateSeconds(), e.dateNanos()),
                    e.vmClockNanos(), e.vmStateSize(), e.diskSize()));
        }
        return l;
    }

    Qcow2Snapshot create(String name, long vmClockNanos) throws IOException {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new Qcow2Exception(path, "invalid snapshot name '" + name + "'");
        }
        for (SnapshotTable.Entry e : table.entries()) {
            if (e.name().equals(name)) throw new Qcow2Exception(path, "a snapshot named '" + name + "' already exists");
        }
        if (header.refcountBits() < 2) throw new Qcow2Exception(path, "refcount_bits=1 cannot count the references a snapshot adds");
        if (table.entries().size() >= Qcow2Header.MAX_SNAPSHOTS) throw new Qcow2Exception(path, "too many snapshots");
        // flags first, refcounts after: a crash in between leaves clusters that are copied needlessly, never
        // clusters written in place while a snapshot shares them
        clearCopiedFlags();
        adjustTree(active.entries(), +1);
        refreshCopiedFlags();
        long l1Offset = 0;
        if (active.size() > 0) {
            byte[] raw = padded(active.toBytes());
            l1Offset = allocator.allocate(raw.length / clusterSize);
            file.write(l1Offset, raw, 0, raw.length);
        }
        long id = 0;
        for (SnapshotTable.Entry e : table.entries()) {
            try {
                id = Math.max(id, Long.parseLong(e.id()));
            } catch (NumberFormatException ignored) {
                // QEMU numbers ids; a foreign id does not take part
            }
        }
        Instant now = Instant.now();
        SnapshotTable.Entry entry = new SnapshotTable.Entry(l1Offset, active.size(), Long.toString(id + 1), name,
                now.getEpochSecond(), now.getNano(), vmClockNanos, 0, header.size(), SnapshotTable.extraData(0, header.size()));
        List<SnapshotTable.Entry> entries = new ArrayList<>(table.entries());
        entries.add(entry);
        writeTable(entries);
        return list().get(entries.size() - 1);
    }

    void apply(String key) throws IOException {
        SnapshotTable.Entry e = find(key);
        if (e.diskSize() != header.size()) {
            throw new Qcow2Exception(path, "snapshot '" + e.name() + "' has a disk of " + e.diskSize() + " bytes, the image " + header.size() + ": not supported");
        }
        L1Table snap = L1Table.load(file, e.l1Offset(), e.l1Size(), clusterSize, "snapshot '" + e.name() + "' L1 table");
        long[] next = new long[active.size()];
        // entries past the disk's own L1 size map saved VM state, which the active disk does not use
        for (int i = 0; i < Math.min(next.length, snap.size()); i++) next[i] = snap.get(i) & ~L2Entry.COPIED;
        adjustTree(next, +1);
        long[] old = active.entries();
        active.setAll(next);
        file.force();
        adjustTree(old, -1);
        refreshCopiedFlags();
    }

    void delete(String key) throws IOException {
        SnapshotTable.Entry e = find(key);
        L1Table snap = L1Table.load(file, e.l1Offset(), e.l1Size(), clusterSize, "snapshot '" + e.name() + "' L1 table");
        List<SnapshotTable.Entry> entries = new ArrayList<>(table.entries());
        entries.remove(e);
        writeTable(entries);
        adjustTree(snap.entries(), -1);
        if (e.l1Size() > 0) allocator.release(e.l1Offset(), clusters(e.l1Size() * 8L));
        refreshCopiedFlags();
    }

    private SnapshotTable.Entry find(String key) throws Qcow2Exception {
        SnapshotTable.Entry e = table.find(key);
        if (e == null) throw new Qcow2Exception(path, "no snapshot '" + key + "'");
        return e;
    }

    /** Writes a new table for entries into free clusters, switches the header to it, frees the old one. */
    private void writeTable(List<SnapshotTable.Entry> entries) throws IOException {
        byte[] raw = SnapshotTable.encode(entries);
        long offset = 0;
        if (!entries.isEmpty()) {
            byte[] p = padded(raw);
            offset = allocator.allocate(p.length / clusterSize);
            file.write(offset, p, 0, p.length);
            file.force();
        }
        byte[] h = new byte[12];
        BigEndian.put32(h, 0, entries.size());
        BigEndian.put64(h, 4, offset);
        file.write(Qcow2Header.OFF_NB_SNAPSHOTS, h, 0, 12);
        file.force();
        SnapshotTable old = table;
        table = new SnapshotTable(offset, List.copyOf(entries), raw.length);
        if (old.bytes() > 0) allocator.release(old.offset(), clusters(old.bytes()));
    }

    /** Adds addend (+1 or -1) to the refcount of every L2 table and data cluster an L1 table reaches. */
    private void adjustTree(long[] l1Entries, int addend) throws IOException {
        byte[] t = new byte[clusterSize];
        for (long l1e : l1Entries) {
            long l2off = L2Entry.offset(l1e);
            if (l2off == 0) continue;
            System.arraycopy(l2.table(l2off), 0, t, 0, clusterSize); // a copy: the cache may drop it below
            for (int j = 0; j < clusterSize / 8; j++) {
                long x = BigEndian.u64(t, j * 8);
                l2.check(x, l2off, j);
                switch (L2Entry.kind(x)) {
                    case NORMAL, ZERO -> {
                        if (L2Entry.offset(x) != 0) adjust(L2Entry.offset(x), 1, addend);
                    }
                    case COMPRESSED -> {
                        long first = L2Entry.compressedOffset(x, clusterBits) >>> clusterBits;
                        long last = (L2Entry.compressedOffset(x, clusterBits) + L2Entry.compressedLength(x, clusterBits) - 1) >>> clusterBits;
                        adjust(first << clusterBits, (int) (last - first + 1), addend);
                    }
                    case UNALLOCATED -> { }
                }
            }
            adjust(l2off, 1, addend);
        }
    }

    private void adjust(long hostOffset, int n, int addend) throws IOException {
        if (addend > 0) allocator.retain(hostOffset, n);
        else allocator.release(hostOffset, n);
    }

    /** No COPIED flag anywhere in the active tables: every write will copy first. */
    private void clearCopiedFlags() throws IOException {
        for (int i = 0; i < active.size(); i++) {
            long e = active.get(i);
            long l2off = L2Entry.offset(e);
            if (l2off == 0) continue;
            if ((e & L2Entry.COPIED) != 0) active.set(i, e & ~L2Entry.COPIED);
            for (int j = 0; j < clusterSize / 8; j++) {
                long x = l2.get(l2off, j);
                if ((x & L2Entry.COPIED) != 0) l2.set(l2off, j, x & ~L2Entry.COPIED);
            }
        }
    }

    /** COPIED set exactly where the active tables' clusters have refcount one (may be written in place). */
    private void refreshCopiedFlags() throws IOException {
        for (int i = 0; i < active.size(); i++) {
            long e = active.get(i);
            long l2off = L2Entry.offset(e);
            if (l2off == 0) continue;
            boolean own = refcounts.get(l2off >>> clusterBits) == 1;
            if (own != ((e & L2Entry.COPIED) != 0)) active.set(i, own ? e | L2Entry.COPIED : e & ~L2Entry.COPIED);
            for (int j = 0; j < clusterSize / 8; j++) {
                long x = l2.get(l2off, j);
                L2Entry.Kind k = L2Entry.kind(x);
                if (k == L2Entry.Kind.COMPRESSED || L2Entry.offset(x) == 0) continue;
                boolean mine = refcounts.get(L2Entry.offset(x) >>> clusterBits) == 1;
                if (mine != ((x & L2Entry.COPIED) != 0)) l2.set(l2off, j, mine ? x | L2Entry.COPIED : x & ~L2Entry.COPIED);
            }
        }
    }

    private int clusters(long bytes) {
        return (int) ((bytes + clusterSize - 1) / clusterSize);
    }

    private byte[] padded(byte[] raw) {
        return java.util.Arrays.copyOf(raw, clusters(Math.max(1, raw.length)) * clusterSize);
    }
}
