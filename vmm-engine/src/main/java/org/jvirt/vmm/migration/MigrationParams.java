package org.jvirt.vmm.migration;

/**
 * How a migration runs.
 *
 * @param maxDowntimeMillis the longest pause allowed for the last round (QEMU's and libvirt's default: 300 ms)
 * @param bandwidthBytesPerSecond the link budget; 0: as fast as the link goes
 * @param maxRounds rounds of dirty pages before the last one is forced (the guest then pauses longer)
 */
public record MigrationParams(long maxDowntimeMillis, long bandwidthBytesPerSecond, int maxRounds) {
    public static final long DEFAULT_MAX_DOWNTIME_MS = 300;

    public static MigrationParams defaults() {
        return new MigrationParams(DEFAULT_MAX_DOWNTIME_MS, 0, 30);
    }
}
