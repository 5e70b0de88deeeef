package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** query-status's answer, as QMP's StatusInfo. */
@JsonPropertyOrder({"status", "running", "singlestep"})
public record StatusInfo(RunState status, boolean running, boolean singlestep) {

    public static StatusInfo of(RunState status) {
        return new StatusInfo(status, status == RunState.RUNNING, false);
    }
}
