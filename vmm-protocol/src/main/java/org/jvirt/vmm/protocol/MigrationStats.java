package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a finished jvirt-migrate did (QMP query-migrate's figures): the downtime measured on the
 * host from the source's pause to the target's "running", the whole time, the RAM bytes sent,
 * the dirty-page rounds after the first pass, the zero pages left out, and when (epoch ms, host
 * clock) the source paused for the last copy (0: it did not get there).
 */
@JsonPropertyOrder({"downtime", "total-time", "transferred", "rounds", "zero-pages", "paused-at"})
public record MigrationStats(@JsonProperty("downtime") long downtimeMs, @JsonProperty("total-time") long totalMs, long transferred,
                             long rounds, @JsonProperty("zero-pages") long zeroPages, @JsonProperty("paused-at") long pausedAtMs) {
}
