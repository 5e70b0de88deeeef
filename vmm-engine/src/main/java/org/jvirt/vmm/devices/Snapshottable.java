package org.jvirt.vmm.devices;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A device whose guest-visible state can be saved and restored (for snapshots and migration).
 * Only guest-visible state is saved; host resources (files, sockets, interrupt lines) are
 * re-attached by whoever rebuilds the machine. loadState expects the same device configuration.
 */
public interface Snapshottable {
    void saveState(DataOutput out) throws IOException;

    void loadState(DataInput in) throws IOException;

    /**
     * Loads a stream written by the given version of the device's state section (a device
     * that changed its stream reads its older versions here); by default the current one.
     */
    default void loadState(DataInput in, int version) throws IOException {
        loadState(in);
    }
}
