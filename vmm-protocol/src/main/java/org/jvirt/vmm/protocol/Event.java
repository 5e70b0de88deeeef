package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.List;

/**
 * An asynchronous event the VMM sends every negotiated client: QMP's {"event": NAME,
 * "data": {...}, "timestamp": {...}} with the record's components as "data".
 */
public sealed interface Event {

    /** The QMP event name (the record's {@link JsonTypeName}). */
    @JsonIgnore
    default String event() {
        return Wire.nameOf(getClass());
    }

    /** Every event the VMM emits. */
    List<Class<? extends Event>> ALL = List.of(Stop.class, Resume.class, Powerdown.class, Reset.class, Shutdown.class, DeviceTrayMoved.class, BalloonChange.class);

    /** The vCPUs were paused (stop, a save or snapshot). */
    @JsonTypeName("STOP")
    record Stop() implements Event { }

    /** The vCPUs run again. */
    @JsonTypeName("RESUME")
    record Resume() implements Event { }

    /** The power button was pressed (system_powerdown); the guest decides. */
    @JsonTypeName("POWERDOWN")
    record Powerdown() implements Event { }

    /** The guest was reset (by itself or system_reset). */
    @JsonTypeName("RESET")
    record Reset() implements Event { }

    /** The VM has ended; guest: whether the guest did it; the same reason as the exit file's. */
    @JsonTypeName("SHUTDOWN")
    @JsonPropertyOrder({"guest", "reason"})
    record Shutdown(boolean guest, ExitReason reason) implements Event { }

    /** A CD-ROM's tray opened or closed (eject, a medium change, or the guest), as QEMU's event. */
    @JsonTypeName("DEVICE_TRAY_MOVED")
    @JsonPropertyOrder({"device", "tray-open"})
    record DeviceTrayMoved(String device, @com.fasterxml.jackson.annotation.JsonProperty("tray-open") boolean trayOpen) implements Event { }

    /** The guest changed how much memory its balloon holds: actual is its memory in bytes now (QEMU's BALLOON_CHANGE, from its set_config). */
    @JsonTypeName("BALLOON_CHANGE")
    record BalloonChange(long actual) implements Event { }

    /** An event this build does not know (a newer VMM): its name only. */
    record Other(@JsonIgnore String event) implements Event { }
}
