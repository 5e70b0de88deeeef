package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/** query-chardev's answer: a JSON array of {@link Chardev}. */
public record Chardevs(List<Chardev> devices) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Chardevs {
        devices = List.copyOf(devices);
    }

    @JsonValue
    public List<Chardev> devices() {
        return devices;
    }

    /** The pseudo-terminal of the first pty device, or null: the console path a client opens. */
    public String ptyPath() {
        for (Chardev c : devices) if (c.kind() == Chardev.Kind.PTY) return c.path();
        return null;
    }
}
