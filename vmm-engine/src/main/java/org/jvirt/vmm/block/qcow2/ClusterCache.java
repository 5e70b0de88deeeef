package org.jvirt.vmm.block.qcow2;

import java.io.IOException;

/**
 * A few metadata clusters (L2 tables or refcount blocks) kept in memory, least recently used
 * evicted. Writes go through to the file at once (the owner writes the changed bytes and updates
 * the cached copy), so an entry is never dirty and eviction costs nothing. Fixed slots: a lookup
 * allocates nothing.
 */
final class ClusterCache {

    private final ImageFile file;
    private final int clusterSize;
    private final String what;
    private final long[] keys;
    private final long[] used;
    private final byte[][] data;
    private long clock;

    ClusterCache(ImageFile file, int clusterSize, int slots, String what) {
        this.file = file;
        this.clusterSize = clusterSize;
        this.what = what;
        this.keys = new long[slots];
        this.used = new long[slots];
        this.data = new byte[slots][];
        java.util.Arrays.fill(keys, -1);
    }

    /** The cluster at hostOffset (cluster aligned and checked by the caller), read on a miss. */
    byte[] get(long hostOffset) throws IOException {
        int victim = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == hostOffset) {
                used[i] = ++clock;
                return data[i];
            }
            if (used[i] < used[victim]) victim = i;
        }
        byte[] b = slot(victim);
        keys[victim] = -1; // stays invalid if the read fails
        file.readMeta(hostOffset, b, 0, clusterSize, what);
        keys[victim] = hostOffset;
        used[victim] = ++clock;
        return b;
    }

    /** Caches content just written for hostOffset (a new table) without reading it back. */
    void put(long hostOffset, byte[] content) {
        invalidate(hostOffset);
        int victim = 0;
        for (int i = 1; i < keys.length; i++) if (used[i] < used[victim]) victim = i;
        byte[] b = slot(victim);
        System.arraycopy(content, 0, b, 0, clusterSize);
        keys[victim] = hostOffset;
        used[victim] = ++clock;
    }

    /** Forgets hostOffset (the cluster was freed and may be reused as something else). */
    void invalidate(long hostOffset) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == hostOffset) {
                keys[i] = -1;
                used[i] = 0;
            }
        }
    }

    private byte[] slot(int i) {
        if (data[i] == null) data[i] = new byte[clusterSize];
        return data[i];
    }
}
