package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Chooses host clusters for new data and metadata: the first run of free clusters (refcount 0)
 * from a hint, creating refcount blocks and growing the refcount table as the file grows
 * (qcow2.txt, "Host cluster management"). Clusters the image knows to be metadata (header, L1
 * table, refcount table, snapshot table) are never handed out, even when a damaged image counts
 * them as free.
 */
final class ClusterAllocator {

    private final ImageFile file;
    private final Refcounts refcounts;
    private final LongPredicate reserved;
    private final ClusterCache[] caches;
    private final int clusterSize;
    private long hint = 1;

    /**
     * @param reserved true for cluster indexes that hold fixed metadata
     * @param caches   caches that must forget a cluster when it is freed
     */
    ClusterAllocator(ImageFile file, Refcounts refcounts, LongPredicate reserved, ClusterCache... caches) {
        this.file = file;
        this.refcounts = refcounts;
        this.reserved = reserved;
        this.caches = caches;
        this.clusterSize = refcounts.clusterSize();
    }

    /** n contiguous clusters with refcount 1; returns the host offset of the first. */
    long allocate(int n) throws IOException {
        while (true) {
            long a = findFreeRun(n);
            long missing = firstRangeWithoutBlock(a, n);
            if (missing < 0) {
                for (long c = a; c < a + n; c++) refcounts.set(c, 1);
                hint = a + n;
                return a * clusterSize;
            }
            ensureBlock(missing);
        }
    }

    /** Drops one reference from each of n clusters at hostOffset; a cluster reaching zero becomes free. */
    void release(long hostOffset, int n) throws IOException {
        long first = hostOffset / clusterSize;
        for (long c = first; c < first + n; c++) {
            if (refcounts.adjust(c, -1) == 0) {
                hint = Math.min(hint, c);
                for (ClusterCache cache : caches) cache.invalidate(c * clusterSize);
                refcounts.forget(c * clusterSize);
            }
        }
    }

    /** Adds one reference to each of n clusters at hostOffset (a snapshot now shares them). */
    void retain(long hostOffset, int n) throws IOException {
        long first = hostOffset / clusterSize;
        for (long c = first; c < first + n; c++) {
            if (!refcounts.hasBlock(c / refcounts.entriesPerBlock())) {
                throw Qcow2Exception.corrupt(file.path(), "cluster at offset " + c * clusterSize + " is in use but has no refcount block");
            }
            refcounts.adjust(c, 1);
        }
    }

    private long findFreeRun(long n) throws IOException {
        long start = Math.max(1, hint), run = 0;
        for (long c = start; ; c++) {
            if (reserved.test(c) || refcounts.get(c) != 0) {
                run = 0;
                start = c + 1;
            } else if (++run == n) {
                return start;
            }
        }
    }

    /** The first refcount range touched by [a, a+n) that has no block, or -1. */
    private long firstRangeWithoutBlock(long a, long n) {
        long e = refcounts.entriesPerBlock();
        for (long r = a / e; r <= (a + n - 1) / e; r++) if (!refcounts.hasBlock(r)) return r;
        return -1;
    }

    private void ensureBlock(long range) throws IOException {
        if (range >= refcounts.tableEntries()) {
            growTable(range);
            return;
        }
        long e = refcounts.entriesPerBlock();
        long c = findFreeRun(1);
        long r = c / e;
        if (r == range) {
            refcounts.createBlock(range, c * clusterSize, (int) (c % e)); // the block counts itself
        } else if (refcounts.hasBlock(r)) {
            refcounts.set(c, 1);
            refcounts.createBlock(range, c * clusterSize, -1);
        } else {
            ensureBlock(r); // r < range: its whole range is free, so its block will count itself
        }
    }

    /**
     * Writes a larger refcount table (and blocks for the ranges its own clusters fall in) into free
     * clusters, points the header at it, then frees the old table: a crash at any point leaves
     * either the old table or the new one in force, never a half-written one.
     */
    private void growTable(long neededRange) throws IOException {
        long e = refcounts.entriesPerBlock();
        int perCluster = clusterSize / 8;
        long entries = Math.max(neededRange + 1, (long) refcounts.tableEntries() * 2);
        while (true) {
            entries = (entries + perCluster - 1) / perCluster * perCluster;
            int k = (int) (entries / perCluster);
            if ((long) k * clusterSize > Math.max(Qcow2Header.MAX_REFTABLE_BYTES, clusterSize)) {
                throw new Qcow2Exception(file.path(), "the refcount table cannot grow past " + Qcow2Header.MAX_REFTABLE_BYTES + " bytes");
            }
            long len = k, a;
            List<Long> newRanges;
            while (true) {
                a = findFreeRun(len);
                newRanges = new ArrayList<>();
                for (long r = a / e; r <= (a + len - 1) / e; r++) if (!refcounts.hasBlock(r)) newRanges.add(r);
                if (k + newRanges.size() <= len) break;
                len = k + newRanges.size();
            }
            long used = k + newRanges.size();
            long lastRange = (a + len - 1) / e;
            if (lastRange >= entries || neededRange >= entries) {
                entries = Math.max(lastRange, neededRange) + 1;
                continue;
            }
            long[] table = refcounts.tableCopy((int) entries);
            byte[][] blocks = new byte[newRanges.size()][];
            for (int j = 0; j < blocks.length; j++) {
                blocks[j] = new byte[clusterSize];
                table[(int) (long) newRanges.get(j)] = (a + k + j) * clusterSize;
            }
            for (long c = a; c < a + used; c++) {
                int j = newRanges.indexOf(c / e);
                if (j >= 0) refcounts.encodeInto(blocks[j], c % e, 1);
                else refcounts.set(c, 1);
            }
            for (int j = 0; j < blocks.length; j++) file.write((a + k + j) * clusterSize, blocks[j], 0, clusterSize);
            byte[] raw = new byte[k * clusterSize];
            for (int i = 0; i < table.length; i++) BigEndian.put64(raw, i * 8, table[i]);
            long newOffset = a * clusterSize;
            file.write(newOffset, raw, 0, raw.length);
            file.force();
            byte[] hdr = new byte[12];
            BigEndian.put64(hdr, 0, newOffset);
            BigEndian.put32(hdr, 8, k);
            file.write(Qcow2Header.OFF_REFTABLE, hdr, 0, 12);
            file.force();
            long oldOffset = refcounts.tableOffset();
            int oldClusters = refcounts.tableClusters();
            refcounts.replaceTable(newOffset, k, table);
            hint = Math.min(hint, a + used);
            release(oldOffset, oldClusters);
            return;
        }
    }
}
