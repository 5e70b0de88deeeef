package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One disk of query-blockstats: its device name and QMP's BlockDeviceStats counters. */
@JsonPropertyOrder({"device", "stats"})
public record BlockStats(String device, Counters stats) {

    @JsonPropertyOrder({"rd_bytes", "wr_bytes", "rd_operations", "wr_operations", "flush_operations",
            "failed_rd_operations", "failed_wr_operations", "failed_flush_operations"})
    public record Counters(
            @JsonProperty("rd_bytes") long rdBytes,
            @JsonProperty("wr_bytes") long wrBytes,
            @JsonProperty("rd_operations") long rdOperations,
            @JsonProperty("wr_operations") long wrOperations,
            @JsonProperty("flush_operations") long flushOperations,
            @JsonProperty("failed_rd_operations") long failedRdOperations,
            @JsonProperty("failed_wr_operations") long failedWrOperations,
            @JsonProperty("failed_flush_operations") long failedFlushOperations) { }
}
