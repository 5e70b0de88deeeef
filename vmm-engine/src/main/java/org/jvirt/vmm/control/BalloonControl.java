package org.jvirt.vmm.control;

/** The memory balloon as the control socket drives it (the machine adapts its device to this). */
public interface BalloonControl {

    /** Asks the guest to come to bytes of memory (capped at its RAM). */
    void setTarget(long bytes);

    /** The RAM less what the guest says it gave (query-balloon's actual). */
    long actualBytes();

    /** When the guest last sent statistics, seconds since the epoch (0: never). */
    long lastUpdate();

    /** The guest's statistics by tag 0-9, -1 (2^64-1 unsigned) for a tag it did not send. */
    long[] stats();

    long pollInterval();

    /** Throws IllegalArgumentException with QEMU's words for a value it refuses. */
    void setPollInterval(long seconds);
}
