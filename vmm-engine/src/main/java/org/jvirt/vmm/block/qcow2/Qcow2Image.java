package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.jvirt.vmm.block.BlockBackend;

/**
 * A qcow2 image (versions 2 and 3) as a {@link BlockBackend}: guest offsets map through the L1
 * and L2 tables to host clusters; unallocated clusters read from the backing image (or zeros),
 * zero clusters read zeros, compressed clusters are inflated. A write to a cluster that is not
 * exclusively ours (refcount above one, compressed, zero, or unallocated) goes to a newly
 * allocated cluster, filled with the old contents around the written bytes (copy-on-write),
 * whose refcount is written before the L2 entry that points to it, and the old cluster's
 * reference is dropped after. Refcounts are never lazy, so the image is consistent after every
 * request, and a flush makes it durable; nothing needs repairing after a close or a crash beyond
 * leaked clusters.
 */
public final class Qcow2Image implements BlockBackend {

    /** Opens backing images: a path already resolved against the overlay's directory, and its format (null: unknown). */
    @FunctionalInterface
    public interface BackingOpener {
        BlockBackend open(Path path, String format) throws IOException;
    }

    private final ImageFile file;
    private final Qcow2Header header;
    private final boolean readOnly;
    private final int clusterBits;
    private final int clusterSize;
    private final int l2Entries;
    private final L1Table l1;
    private final L2Tables l2;
    private final Refcounts refcounts;
    private final ClusterAllocator allocator;
    private final CompressedClusters compressed;
    private final byte[] scratch;
    private final byte[] zeros;
    private BlockBackend backing;
    private final InternalSnapshots snapshots;
    private boolean closed;
    private boolean corrupt;

    private Qcow2Image(ImageFile file, Qcow2Header h, Refcounts refcounts, L1Table l1, SnapshotTable snapshotTable) {
        this.file = file;
        this.header = h;
        this.readOnly = file.readOnly();
        this.clusterBits = h.clusterBits();
        this.clusterSize = (int) h.clusterSize();
        this.l2Entries = h.l2Entries();
        this.l1 = l1;
        this.l2 = new L2Tables(file, clusterBits, 16);
        this.refcounts = refcounts;
        this.snapshots = new InternalSnapshots(file, h, l1, l2, refcounts, snapshotTable);
        this.allocator = new ClusterAllocator(file, refcounts, this::isFixedMetadata, l2.cache());
        snapshots.setAllocator(allocator);
        this.compressed = new CompressedClusters(file, clusterBits);
        this.scratch = new byte[clusterSize];
        this.zeros = new byte[clusterSize];
    }

    /**
     * Opens path; a backing file named in the header is opened read-only through backingOpener.
     * A malformed image is refused with a {@link Qcow2Exception} naming what is wrong.
     */
    public static Qcow2Image open(Path path, boolean readOnly, BackingOpener backingOpener) throws IOException {
        ImageFile file = new ImageFile(path, readOnly);
        Qcow2Image image = null;
        try {
            Qcow2Header h = Qcow2Header.read(file);
            if (!readOnly && (h.incompatibleFeatures() & Qcow2Header.INCOMPAT_CORRUPT) != 0) {
                throw new Qcow2Exception(path, "the image is marked corrupt; repair it with 'qemu-img check -r all' before writing to it");
            }
            if (!readOnly && (h.incompatibleFeatures() & Qcow2Header.INCOMPAT_DIRTY) != 0) {
                throw new Qcow2Exception(path, "the image was not closed cleanly (dirty, lazy refcounts); repair it with 'qemu-img check -r all'");
            }
            Refcounts refcounts = Refcounts.load(file, h);
            L1Table l1 = L1Table.load(file, h.l1TableOffset(), h.l1Size(), h.clusterSize(), "L1 table");
            SnapshotTable snapshots = SnapshotTable.load(file, h); // validated now: a damaged table is refused at open
            image = new Qcow2Image(file, h, refcounts, l1, snapshots);
            if (h.hasBacking()) {
                Path b = Path.of(h.backingFile());
                Path dir = path.toAbsolutePath().getParent();
                image.backing = backingOpener.open(b.isAbsolute() || dir == null ? b : dir.resolve(b), h.backingFormat());
            }
            if (!readOnly && h.needsAutoclearReset()) {
                // bitmaps and other autoclear data jvirt does not maintain become stale: say so (only once the image
                // is known to open, so that a refused open changes nothing)
                byte[] z = new byte[8];
                file.write(Qcow2Header.OFF_AUTOCLEAR, z, 0, 8);
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (image != null) {
                image.compressed.close();
                if (image.backing != null) image.backing.close();
            }
            file.close();
            throw e;
        }
    }

    @Override public long capacity() { return header.size(); }
    @Override public boolean readOnly() { return readOnly; }

    public int version() { return header.version(); }
    public int clusterSize() { return clusterSize; }
    /** The backing file name as the header stores it, or null. */
    public String backingFile() { return header.backingFile(); }
    public String backingFormat() { return header.backingFormat(); }

    /**
     * True when the cluster holding guest offset is defined by this image itself (data, zeros or
     * compressed data), false when reads of it fall through to the backing file.
     */
    public synchronized boolean allocatedHere(long offset) throws IOException {
        BlockBackend.checkRange(this, offset, 0);
        return L2Entry.kind(lookup(offset >>> clusterBits)) != L2Entry.Kind.UNALLOCATED;
    }

    /** True when this image marks the cluster holding guest offset as reading zeros (a zero cluster). */
    public synchronized boolean zeroHere(long offset) throws IOException {
        BlockBackend.checkRange(this, offset, 0);
        return L2Entry.kind(lookup(offset >>> clusterBits)) == L2Entry.Kind.ZERO;
    }

    @Override
    public synchronized void read(long offset, byte[] buf, int off, int len) throws IOException {
        BlockBackend.checkRange(this, offset, len);
        while (len > 0) {
            long gc = offset >>> clusterBits;
            int in = (int) (offset & (clusterSize - 1));
            int n = Math.min(clusterSize - in, len);
            readPiece(lookup(gc), offset, in, buf, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    private void readPiece(long entry, long guestOffset, int in, byte[] buf, int off, int n) throws IOException {
        switch (L2Entry.kind(entry)) {
            case UNALLOCATED -> readBacking(guestOffset, buf, off, n);
            case ZERO -> Arrays.fill(buf, off, off + n, (byte) 0);
            case NORMAL -> file.readData(L2Entry.offset(entry) + in, buf, off, n);
            case COMPRESSED -> System.arraycopy(compressed.cluster(entry), in, buf, off, n);
        }
    }

    /** The backing image's bytes; zeros without one or past its end (it may be smaller). */
    private void readBacking(long guestOffset, byte[] buf, int off, int n) throws IOException {
        long avail = backing == null ? 0 : Math.max(0, backing.capacity() - guestOffset);
        int from = (int) Math.min(n, avail);
        if (from > 0) backing.read(guestOffset, buf, off, from);
        Arrays.fill(buf, off + from, off + n, (byte) 0);
    }

    /** The L2 entry for guest cluster gc; 0 (unallocated) where no L2 table exists. */
    private long lookup(long gc) throws IOException {
        int l1i = (int) (gc / l2Entries);
        long l2off = L2Entry.offset(l1.get(l1i));
        return l2off == 0 ? 0 : l2.get(l2off, (int) (gc % l2Entries));
    }

    @Override
    public synchronized void write(long offset, byte[] buf, int off, int len) throws IOException {
        checkWritable();
        BlockBackend.checkRange(this, offset, len);
        compressed.invalidate();
        try {
            while (len > 0) {
                long gc = offset >>> clusterBits;
                int in = (int) (offset & (clusterSize - 1));
                int n = Math.min(clusterSize - in, len);
                writePiece(gc, in, buf, off, n);
                offset += n;
                off += n;
                len -= n;
            }
        } catch (Qcow2Exception e) {
            throw found(e);
        }
    }

    private void writePiece(long gc, int in, byte[] buf, int off, int n) throws IOException {
        long l2off = l2ForWrite((int) (gc / l2Entries));
        int idx = (int) (gc % l2Entries);
        long e = l2.get(l2off, idx);
        L2Entry.Kind kind = L2Entry.kind(e);
        long host = L2Entry.offset(e);
        if (kind == L2Entry.Kind.NORMAL && (e & L2Entry.COPIED) != 0) {
            checkData(host);
            file.write(host + in, buf, off, n); // ours alone: in place
            return;
        }
        byte[] data = buf;
        int dataOff = off;
        if (n != clusterSize) { // copy-on-write: the old contents around the new bytes
            long base = gc << clusterBits;
            int valid = (int) Math.min(clusterSize, capacity() - base);
            readPiece(e, base, 0, scratch, 0, valid);
            Arrays.fill(scratch, valid, clusterSize, (byte) 0);
            System.arraycopy(buf, off, scratch, in, n);
            data = scratch;
            dataOff = 0;
        }
        if (kind == L2Entry.Kind.ZERO && host != 0 && (e & L2Entry.COPIED) != 0) {
            checkData(host); // a preallocated zero cluster that is ours: fill it in place
            file.write(host, data, dataOff, clusterSize);
            l2.set(l2off, idx, host | L2Entry.COPIED);
            return;
        }
        long fresh = allocator.allocate(1);
        file.write(fresh, data, dataOff, clusterSize);
        l2.set(l2off, idx, fresh | L2Entry.COPIED);
        releaseData(e);
    }

    /** Drops the image's reference to the host clusters an L2 entry pointed to. */
    private void releaseData(long e) throws IOException {
        switch (L2Entry.kind(e)) {
            case NORMAL -> allocator.release(L2Entry.offset(e), 1);
            case ZERO -> {
                if (L2Entry.offset(e) != 0) allocator.release(L2Entry.offset(e), 1);
            }
            case COMPRESSED -> allocator.release(compressed.firstCluster(e) << clusterBits, compressed.clusterCount(e));
            case UNALLOCATED -> { }
        }
    }

    /**
     * The offset of an L2 table for l1 index i that this image alone references: a new empty one
     * where there is none, a copy where a snapshot shares it (the copy's entries keep COPIED only
     * where the cluster's refcount is one).
     */
    private long l2ForWrite(int i) throws IOException {
        long e = l1.get(i);
        long old = L2Entry.offset(e);
        if (old != 0 && (e & L2Entry.COPIED) != 0) {
            checkData(old);
            return old;
        }
        byte[] content = new byte[clusterSize];
        if (old != 0) {
            System.arraycopy(l2.table(old), 0, content, 0, clusterSize);
            for (int j = 0; j < l2Entries; j++) {
                long x = BigEndian.u64(content, j * 8);
                if ((x & L2Entry.COPIED) != 0 && refcounts.get(L2Entry.offset(x) >>> clusterBits) != 1) {
                    BigEndian.put64(content, j * 8, x & ~L2Entry.COPIED);
                }
            }
        }
        long fresh = allocator.allocate(1);
        l2.create(fresh, content);
        l1.set(i, fresh | L2Entry.COPIED);
        if (old != 0) allocator.release(old, 1);
        return fresh;
    }

    @Override
    public synchronized void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException {
        checkWritable();
        BlockBackend.checkRange(this, offset, length);
        compressed.invalidate();
        try {
            zeroes(offset, length, mayUnmap);
        } catch (Qcow2Exception e) {
            throw found(e);
        }
    }

    private void zeroes(long offset, long length, boolean mayUnmap) throws IOException {
        while (length > 0) {
            long gc = offset >>> clusterBits;
            int in = (int) (offset & (clusterSize - 1));
            int n = (int) Math.min(clusterSize - in, length);
            long e = lookup(gc);
            L2Entry.Kind kind = L2Entry.kind(e);
            boolean readsZero = kind == L2Entry.Kind.ZERO || (kind == L2Entry.Kind.UNALLOCATED && backing == null);
            boolean whole = n == clusterSize || (in == 0 && (gc << clusterBits) + n == capacity());
            if (readsZero) {
                // nothing to do
            } else if (whole && header.version() >= 3) {
                long l2off = l2ForWrite((int) (gc / l2Entries));
                int idx = (int) (gc % l2Entries);
                e = l2.get(l2off, idx);
                boolean keep = !mayUnmap && L2Entry.kind(e) == L2Entry.Kind.NORMAL && (e & L2Entry.COPIED) != 0;
                l2.set(l2off, idx, keep ? e | L2Entry.ZERO : L2Entry.ZERO);
                if (!keep) releaseData(e);
            } else if (whole && backing == null && mayUnmap) {
                long l2off = l2ForWrite((int) (gc / l2Entries));
                int idx = (int) (gc % l2Entries);
                e = l2.get(l2off, idx);
                l2.set(l2off, idx, 0); // version 2: unallocated reads zeros when there is no backing file
                releaseData(e);
            } else {
                writePiece(gc, in, zeros, 0, n);
            }
            offset += n;
            length -= n;
        }
    }

    @Override
    public int discardGranularity() {
        return clusterSize;
    }

    /**
     * Releases the whole clusters inside the range (they then read as zeros). Version 2 images with
     * a backing file cannot hide its data without writing, so there a discard does nothing.
     */
    @Override
    public synchronized void discard(long offset, long length) throws IOException {
        checkWritable();
        BlockBackend.checkRange(this, offset, length);
        long start = (offset + clusterSize - 1) & -(long) clusterSize;
        long end = offset + length == capacity() ? offset + length : (offset + length) & -(long) clusterSize;
        if (end <= start || (header.version() < 3 && backing != null)) return;
        writeZeroes(start, end - start, true);
    }

    /** The internal snapshots, in table order (as `qemu-img snapshot -l` lists them). */
    public synchronized List<Qcow2Snapshot> snapshots() {
        return snapshots.list();
    }

    /**
     * Takes an internal snapshot of the disk as it is now, named name (unique in the image).
     *
     * @param vmClockNanos how long the guest has run (0 for a disk-only snapshot)
     */
    public synchronized Qcow2Snapshot createSnapshot(String name, long vmClockNanos) throws IOException {
        checkWritable();
        compressed.invalidate();
        try {
            Qcow2Snapshot s = snapshots.create(name, vmClockNanos);
            file.force();
            return s;
        } catch (Qcow2Exception e) {
            throw found(e);
        }
    }

    /** Makes the disk what it was when the snapshot with this id or name was taken. */
    public synchronized void applySnapshot(String idOrName) throws IOException {
        checkWritable();
        compressed.invalidate();
        try {
            snapshots.apply(idOrName);
            file.force();
        } catch (Qcow2Exception e) {
            throw found(e);
        }
    }

    /** Deletes the snapshot with this id or name, freeing the clusters only it used. */
    public synchronized void deleteSnapshot(String idOrName) throws IOException {
        checkWritable();
        compressed.invalidate();
        try {
            snapshots.delete(idOrName);
            file.force();
        } catch (Qcow2Exception e) {
            throw found(e);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        file.force();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            if (!readOnly) file.force();
        } finally {
            compressed.close();
            file.close();
            if (backing != null) backing.close();
        }
    }

    /** Header cluster, L1 table, refcount table, snapshot table: never data, never handed out. */
    private boolean isFixedMetadata(long cluster) {
        long at = cluster << clusterBits;
        return cluster == 0
                || Qcow2Header.overlaps(at, clusterSize, l1.offset(), l1.size() * 8L)
                || Qcow2Header.overlaps(at, clusterSize, refcounts.tableOffset(), (long) refcounts.tableClusters() * clusterSize)
                || Qcow2Header.overlaps(at, clusterSize, snapshots.table().offset(), snapshots.table().bytes());
    }

    /** A data cluster must not be one of the fixed metadata clusters (a damaged table could say so). */
    private void checkData(long host) throws IOException {
        if (isFixedMetadata(host >>> clusterBits)) {
            throw Qcow2Exception.corrupt(file.path(), "a data cluster or L2 table at offset " + host + " overlaps the image's metadata");
        }
    }

    private void checkWritable() throws IOException {
        if (readOnly) throw new IOException("qcow2 image " + file.path() + " is open read-only");
        if (corrupt) throw new Qcow2Exception(file.path(), "the image was found corrupt: writes are refused; repair it with 'qemu-img check -r all'");
    }

    /**
     * A write met corrupt metadata: no more writes (they could spread the damage), and on version 3
     * the header's corrupt bit is set, as QEMU sets it, so that later opens are read-only.
     */
    private Qcow2Exception found(Qcow2Exception e) {
        if (!e.corruption() || corrupt) return e;
        corrupt = true;
        if (header.version() >= 3) {
            try {
                byte[] b = new byte[8];
                BigEndian.put64(b, 0, header.incompatibleFeatures() | Qcow2Header.INCOMPAT_CORRUPT);
                file.write(Qcow2Header.OFF_INCOMPATIBLE, b, 0, 8);
                file.force();
            } catch (IOException ignored) {
                // the in-memory refusal still holds
            }
        }
        return e;
    }
}
