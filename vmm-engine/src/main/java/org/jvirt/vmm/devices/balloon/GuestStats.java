package org.jvirt.vmm.devices.balloon;

import java.util.Arrays;

/**
 * The guest's last memory statistics (the stats queue's tags 0-9, virtio spec 5.5.6.3), as QEMU's
 * "guest-stats" property gives them: each value as the guest sent it (bytes for the memory
 * ones, counts for the fault ones), {@link #UNSET} for a tag the guest did not send; lastUpdate
 * is when they came, in seconds since the epoch (0: never).
 */
public record GuestStats(long lastUpdate, long[] values) {

    /** A tag the guest did not report: QEMU's -1 (all ones as its uint64). */
    public static final long UNSET = -1L;
    /** Tags understood, VIRTIO_BALLOON_S_NR in QEMU 7.2. */
    public static final int TAGS = 10;
    public static final int SWAP_IN = 0, SWAP_OUT = 1, MAJFLT = 2, MINFLT = 3, MEMFREE = 4, MEMTOT = 5,
            AVAIL = 6, CACHES = 7, HTLB_PGALLOC = 8, HTLB_PGFAIL = 9;
    /** QEMU's names for the tags in "guest-stats" -> "stats", in tag order. */
    public static final String[] QEMU_NAMES = {"stat-swap-in", "stat-swap-out", "stat-major-faults", "stat-minor-faults",
            "stat-free-memory", "stat-total-memory", "stat-available-memory", "stat-disk-caches", "stat-htlb-pgalloc", "stat-htlb-pgfail"};

    public GuestStats {
        if (values.length != TAGS) throw new IllegalArgumentException("want " + TAGS + " values");
        values = values.clone();
    }

    /** Nothing reported yet. */
    public static GuestStats none() {
        long[] v = new long[TAGS];
        Arrays.fill(v, UNSET);
        return new GuestStats(0, v);
    }

    public long value(int tag) { return values[tag]; }

    @Override public long[] values() { return values.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestStats g && g.lastUpdate == lastUpdate && Arrays.equals(g.values, values);
    }

    @Override
    public int hashCode() { return Long.hashCode(lastUpdate) * 31 + Arrays.hashCode(values); }
}
