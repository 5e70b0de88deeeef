package org.jvirt.vmm.migration;

import java.util.concurrent.atomic.AtomicLong;

/** What a running migration has done, readable from any thread (query-jvirt-job, domjobinfo). */
public final class MigrationProgress {
    public final AtomicLong ramTotal = new AtomicLong();
    public final AtomicLong ramTransferred = new AtomicLong();
    public final AtomicLong ramRemaining = new AtomicLong();
    public final AtomicLong pagesSent = new AtomicLong();
    public final AtomicLong zeroPagesSkipped = new AtomicLong();
    public final AtomicLong rounds = new AtomicLong();
    public final AtomicLong bytesPerSecond = new AtomicLong();
    /** Auto-converge's CPU throttle now, percent (0: none). */
    public final AtomicLong throttlePercent = new AtomicLong();
    /** Storage migration: bytes of the copied disks, sent so far, written and not yet sent again. */
    public final AtomicLong diskTotal = new AtomicLong();
    public final AtomicLong diskTransferred = new AtomicLong();
    public final AtomicLong diskRemaining = new AtomicLong();
    /** --compressed: pages sent as deltas, their bytes, pages not in the cache, deltas too big to pay. */
    public final AtomicLong deltaPages = new AtomicLong();
    public final AtomicLong deltaBytes = new AtomicLong();
    public final AtomicLong deltaCacheMisses = new AtomicLong();
    public final AtomicLong deltaOverflows = new AtomicLong();
    /** Pages sent while the guest was stopped (the stop-and-copy's share of RAM). */
    public final AtomicLong lastCopyPages = new AtomicLong();
    /** From the source's pause to the guest's run at the target, ms (-1 until done; see MigrationSource#downtimeMillis). */
    public final AtomicLong downtimeMillis = new AtomicLong(-1);
    /**
     * Wall-clock time (epoch ms) of the source's pause, 0 until then: a manager that holds the
     * guest on the destination until it confirms measures the whole downtime from it (as
     * libvirt's cookie statistics do, with the hosts' clocks in step).
     */
    public final AtomicLong pausedAtEpochMillis = new AtomicLong();
    public final AtomicLong startNanos = new AtomicLong(System.nanoTime());
}
