package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * query-jvirt-job's answer: the VMM's current long job (a save, a snapshot writing the
 * machine's state, or an outgoing migration), or the last one that ended, shaped after QMP's
 * query-migrate (status, time, and the RAM it has gone through). Sizes in bytes; for a save,
 * processed + remaining = total; a migration's processed counts every byte sent (pages sent
 * again included) and its remaining the RAM still to send, with the details in ram.
 *
 * @param status    "none" (no job yet), "active", "completed" or "failed"
 * @param operation "save", "snapshot" or "migration-out" (null with status "none")
 * @param elapsedMs time since the job started (its whole length once it ended)
 * @param error     why a failed job failed (null otherwise)
 * @param ram       a running migration's RAM figures (query-migrate's "ram"); null for other jobs
 */
@JsonPropertyOrder({"status", "operation", "total-time", "total", "processed", "remaining", "error", "ram"})
public record JobInfo(String status, String operation, @JsonProperty("total-time") long elapsedMs, long total, long processed,
                      long remaining, String error, @JsonInclude(JsonInclude.Include.NON_NULL) MigrationRam ram) {

    public static final String NONE = "none", ACTIVE = "active", COMPLETED = "completed", FAILED = "failed";

    /** A job without migration figures. */
    public JobInfo(String status, String operation, long elapsedMs, long total, long processed, long remaining, String error) {
        this(status, operation, elapsedMs, total, processed, remaining, error, null);
    }

    /** No job has run in this VMM. */
    public static JobInfo none() {
        return new JobInfo(NONE, null, 0, 0, 0, 0, null);
    }

    /**
     * A migration's RAM figures as QMP's query-migrate "ram" gives them (what libvirt's
     * domjobinfo shows as memory bandwidth, iteration, constant and normal pages).
     *
     * @param bytesPerSecond the rate the pages go at (mbps in QMP, here bytes/s)
     * @param iteration      the pass over the RAM (1: the first, then one per round of dirty pages)
     * @param constantPages  zero pages left out
     * @param normalPages    pages sent
     * @param pageSize       bytes per page
     * @param cpuThrottle    auto-converge's vCPU throttle now, percent (QMP's cpu-throttle-percentage; 0: none, left out)
     */
    @JsonPropertyOrder({"bps", "iteration", "constant", "normal", "page-size", "cpu-throttle-percentage"})
    public record MigrationRam(@JsonProperty("bps") long bytesPerSecond, long iteration, @JsonProperty("constant") long constantPages,
                               @JsonProperty("normal") long normalPages, @JsonProperty("page-size") long pageSize,
                               @JsonProperty("cpu-throttle-percentage") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int cpuThrottle) { }
}
