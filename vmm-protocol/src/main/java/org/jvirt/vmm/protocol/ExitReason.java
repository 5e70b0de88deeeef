package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/**
 * How a VMM ended: the exit file's reason and the SHUTDOWN event's "reason". (jvirt's own
 * values, not QEMU's ShutdownCause: the driver maps them to libvirt's shutoff reasons.)
 */
public enum ExitReason {
    /** The guest powered off, reset with on-reboot=destroy, or wrote the debug exit port. */
    @JsonProperty("shutdown") SHUTDOWN,
    /** Ended from outside (quit, a signal). */
    @JsonProperty("destroyed") DESTROYED,
    /** Ended by jvirt-save once the state file was written. */
    @JsonProperty("saved") SAVED,
    /** Ended by jvirt-migrate once the guest ran on the destination. */
    @JsonProperty("migrated") MIGRATED,
    /** An emulation error or an internal failure while running. */
    @JsonProperty("crashed") CRASHED,
    /** The VM could not be set up (kernel, disks, restore file...). */
    @JsonProperty("failed") FAILED;

    /** The wire spelling. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason spelled s, or null for anything else. */
    public static ExitReason ofWire(String s) {
        for (ExitReason r : values()) if (r.wire().equals(s)) return r;
        return null;
    }
}
