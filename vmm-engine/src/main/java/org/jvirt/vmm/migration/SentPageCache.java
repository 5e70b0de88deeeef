package org.jvirt.vmm.migration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the source last sent of recently dirtied pages, for --compressed migration's deltas
 * (QEMU's XBZRLE cache; libvirt's compression.xbzrle.cache, 64 MiB by default). Bounded: the
 * least recently sent page leaves first. Only pages of the dirty rounds come in, not the first
 * pass over all RAM, so the cache holds what the guest keeps rewriting.
 */
final class SentPageCache {
    static final long DEFAULT_BYTES = 64L << 20;

    private final int capacity;
    private final LinkedHashMap<Long, byte[]> pages;

    SentPageCache(long bytes) {
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / MigrationStream.PAGE));
        this.pages = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The copy last sent of this page, or null. */
    byte[] get(long pfn) {
        return pages.get(pfn);
    }

    /** The page went as zeros: the target's copy is no longer the cached one. */
    void forget(long pfn) {
        pages.remove(pfn);
    }

    /** Remembers what was just sent of this page (copies it, reusing the evicted or old buffer where it can). */
    void put(long pfn, byte[] src, int off) {
        byte[] b = pages.get(pfn);
        if (b == null) b = new byte[MigrationStream.PAGE];
        System.arraycopy(src, off, b, 0, MigrationStream.PAGE);
        pages.put(pfn, b);
    }
}
