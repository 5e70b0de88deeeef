package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * query-jvirt-job's answer: the VMM's current long job (a save or a snapshot writing the
 * machine's state), or the last one that ended, shaped after QMP's query-migrate (status, time,
 * and the RAM it has gone through). Sizes in bytes; processed + remaining = total.
 *
 * @param status    "none" (no job yet), "active", "completed" or "failed"
 * @param operation "save", "snapshot" or "migration-out" (null with status "none")
 * @param elapsedMs time since the job started (its whole length once it ended)
 * @param error     why a failed job failed (null otherwise)
 */
@JsonPropertyOrder({"status", "operation", "total-time", "total", "processed", "remaining", "error"})
public record JobInfo(String status, String operation, @JsonProperty("total-time") long elapsedMs, long total, long processed,
                      long remaining, String error) {

    public static final String NONE = "none", ACTIVE = "active", COMPLETED = "completed", FAILED = "failed";

    /** No job has run in this VMM. */
    public static JobInfo none() {
        return new JobInfo(NONE, null, 0, 0, 0, 0, null);
    }
}
