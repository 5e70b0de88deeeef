package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** QMP's RunState values the VMM reports in query-status. */
public enum RunState {
    @JsonProperty("running") RUNNING,
    @JsonProperty("paused") PAUSED,
    @JsonProperty("shutdown") SHUTDOWN,
    @JsonProperty("internal-error") INTERNAL_ERROR,
    @JsonProperty("prelaunch") PRELAUNCH,
    /** Waiting for or taking an incoming migration (--incoming); the vCPUs have not run here yet. */
    @JsonProperty("inmigrate") INMIGRATE
}
