package org.jvirt.vmm.migration;

/**
 * How a migration runs.
 *
 * @param maxDowntimeMillis the longest pause allowed for the last round (QEMU's and libvirt's default: 300 ms);
 *        the rounds go on until the rest fits in it, as QEMU's do, or the migration is cancelled, and
 *        then on while they still shrink what is left (a bound, not a goal: see {@link #NEGLIGIBLE_REST_BYTES})
 * @param bandwidthBytesPerSecond the link budget; 0: as fast as the link goes
 * @param autoConverge throttle the vCPUs when the guest dirties memory faster than the link carries it
 *        (libvirt's --auto-converge), starting at throttleInitial percent and adding throttleIncrement
 *        each time up to 99 (libvirt's auto_converge.initial and .increment; QEMU's defaults 20 and 10)
 * @param compressionCacheBytes 0: pages go whole; else --compressed: a page resent in a dirty round goes
 *        as a delta against its last sent copy, kept in a cache of this size ({@link PageDelta}; libvirt's
 *        compression.xbzrle.cache, 64 MiB by default)
 * @param storage which disks' contents go along ({@link DiskCopy}): none (shared storage), all of
 *        every writable disk (--copy-storage-all) or what their qcow2 top images hold (--copy-storage-inc)
 */
public record MigrationParams(long maxDowntimeMillis, long bandwidthBytesPerSecond, boolean autoConverge, int throttleInitial,
                              int throttleIncrement, long compressionCacheBytes, StorageCopy storage) {
    public enum StorageCopy { NONE, ALL, INCREMENTAL }

    public static final long DEFAULT_MAX_DOWNTIME_MS = 300;
    public static final int THROTTLE_INITIAL = 20, THROTTLE_INCREMENT = 10, THROTTLE_MAX = 99;
    /** QEMU's throttle-trigger-threshold: dirtied bytes over this share of the bytes sent in a round count as "too fast". */
    public static final int THROTTLE_TRIGGER_PERCENT = 50;
    /**
     * Once the rest fits in the maximum downtime, QEMU stops at once, which can leave tens or
     * hundreds of MiB for the pause of a guest dirtying at a modest rate. jvirt stops only when
     * the rest is at most this many bytes (well under a millisecond on a 1 GB/s link), or when a
     * live round no longer cut it by a tenth (a guest dirtying its working set about as fast as
     * the link carries it: more rounds would not help). Rounds that cut the rest by a tenth or
     * more are geometrically fewer and cost only link time while the guest runs.
     */
    public static final long NEGLIGIBLE_REST_BYTES = 256 << 10;

    public MigrationParams {
        if (throttleInitial < 1 || throttleInitial > THROTTLE_MAX) throw new IllegalArgumentException("auto_converge.initial must be 1-99");
        if (throttleIncrement < 1 || throttleIncrement > THROTTLE_MAX) throw new IllegalArgumentException("auto_converge.increment must be 1-99");
        if (compressionCacheBytes < 0) throw new IllegalArgumentException("negative compression cache size");
        if (storage == null) storage = StorageCopy.NONE;
    }

    public MigrationParams(long maxDowntimeMillis, long bandwidthBytesPerSecond, boolean autoConverge) {
        this(maxDowntimeMillis, bandwidthBytesPerSecond, autoConverge, THROTTLE_INITIAL, THROTTLE_INCREMENT, 0, StorageCopy.NONE);
    }

    public static final long DEFAULT_COMPRESSION_CACHE = SentPageCache.DEFAULT_BYTES;

    /** These params with --compressed's page deltas and a cache of cacheBytes. */
    public MigrationParams compressed(long cacheBytes) {
        return new MigrationParams(maxDowntimeMillis, bandwidthBytesPerSecond, autoConverge, throttleInitial, throttleIncrement, cacheBytes, storage);
    }

    /** These params copying the disks' contents as s says. */
    public MigrationParams withStorage(StorageCopy s) {
        return new MigrationParams(maxDowntimeMillis, bandwidthBytesPerSecond, autoConverge, throttleInitial, throttleIncrement,
                compressionCacheBytes, s);
    }

    public static MigrationParams defaults() {
        return new MigrationParams(DEFAULT_MAX_DOWNTIME_MS, 0, false);
    }
}
