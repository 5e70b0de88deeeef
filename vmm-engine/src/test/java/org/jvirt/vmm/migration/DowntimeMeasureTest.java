package org.jvirt.vmm.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The downtime from the two hosts' clocks, bounded by what the source saw itself. */
class DowntimeMeasureTest {
    static final long PAUSED = 1_796_000_000_000_000L; // µs since the epoch

    @Test
    void theTargetsRunTimeEndsTheDowntime() {
        assertEquals(6, MigrationSource.downtimeMillis(PAUSED, PAUSED + 6_200, 9_000_000));
        assertEquals(7, MigrationSource.downtimeMillis(PAUSED, PAUSED + 6_500, 9_000_000));
    }

    @Test
    void clocksThatDisagreeCannotStretchItPastTheAnswerNorBelowZero() {
        assertEquals(9, MigrationSource.downtimeMillis(PAUSED, PAUSED + 5_000_000, 9_000_000), "target clock ahead");
        assertEquals(0, MigrationSource.downtimeMillis(PAUSED, PAUSED - 5_000_000, 9_000_000), "target clock behind");
    }
}
