package org.jvirt.vmm.migration;

import java.util.Arrays;

/**
 * What the source last sent of recently dirtied pages, for --compressed migration's deltas
 * (QEMU's XBZRLE cache; libvirt's compression.xbzrle.cache, 64 MiB by default). Direct-mapped
 * as QEMU's: page frame N lives in slot N mod slots, so a guest rewriting a region as large as
 * the cache keeps hitting (an LRU cache misses every page of a cyclic rewrite one page larger
 * than itself), and nothing is allocated per page. Only pages of the dirty rounds come in, not
 * the first pass over all RAM, so the cache holds what the guest keeps rewriting.
 */
final class SentPageCache {
    static final long DEFAULT_BYTES = 64L << 20;
    /** The most slots one array holds. */
    private static final int MAX_SLOTS = (Integer.MAX_VALUE - 8) / MigrationStream.PAGE;

    private final int slots;
    private final long[] tags; // the page frame in each slot, -1: empty
    private final byte[] data;

    SentPageCache(long bytes) {
        this.slots = (int) Math.max(1, Math.min(MAX_SLOTS, bytes / MigrationStream.PAGE));
        this.tags = new long[slots];
        Arrays.fill(tags, -1);
        this.data = new byte[slots * MigrationStream.PAGE];
    }

    private int slot(long pfn) {
        return (int) Math.floorMod(pfn, (long) slots);
    }

    /** The cached pages; a page's copy is at the offset {@link #find} gives. */
    byte[] data() {
        return data;
    }

    /** Where in {@link #data} the copy last sent of this page is, or -1. */
    int find(long pfn) {
        int s = slot(pfn);
        return tags[s] == pfn ? s * MigrationStream.PAGE : -1;
    }

    /** The page went as zeros: the target's copy is no longer the cached one. */
    void forget(long pfn) {
        int s = slot(pfn);
        if (tags[s] == pfn) tags[s] = -1;
    }

    /** Remembers what was just sent of this page (its slot's previous page leaves). */
    void put(long pfn, byte[] src, int off) {
        int s = slot(pfn);
        tags[s] = pfn;
        System.arraycopy(src, off, data, s * MigrationStream.PAGE, MigrationStream.PAGE);
    }
}
