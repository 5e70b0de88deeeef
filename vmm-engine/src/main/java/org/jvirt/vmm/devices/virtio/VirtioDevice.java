package org.jvirt.vmm.devices.virtio;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.memory.GuestMemory;

/**
 * The device-type half of a virtio device (block, net, ...), independent of the transport.
 * Called by the transport with its queue lock held (readConfig: only its register lock, so it
 * may run while a request is in progress): processQueue on the device's I/O thread (or, without
 * one, on the vCPU thread that wrote the notification), the rest from vCPU or control threads.
 */
public interface VirtioDevice {

    /** Feature bit: the modern (1.x) interface. */
    long F_VERSION_1 = 1L << 32;
    /** Feature bit: indirect descriptors. */
    long F_INDIRECT_DESC = 1L << 28;

    /** The virtio device id (2 = block). */
    int deviceType();

    /** Features offered (device-specific bits and ring bits; the transport adds VERSION_1). */
    long deviceFeatures();

    int queueCount();

    int queueMaxSize();

    /** The PCI class code the transport presents (e.g. 0x018000 for storage/other). */
    int pciClass();

    long readConfig(int offset, int size);

    void writeConfig(int offset, int size, long value);

    /** The driver set FEATURES_OK and the transport accepted these features (before DRIVER_OK; a device whose config depends on them). */
    default void featuresAccepted(long negotiatedFeatures) { }

    /** The driver set DRIVER_OK with these negotiated features. */
    void activate(long negotiatedFeatures);

    /**
     * Processes every available chain of queue index; returns true when at least one was returned
     * to the used ring. Throws when the ring or a chain is malformed beyond a per-request error.
     */
    boolean processQueue(int index, SplitVirtqueue queue, GuestMemory mem) throws VirtioException;

    /** Back to the state before the driver found the device. */
    void reset();

    void saveState(DataOutput out) throws IOException;

    void loadState(DataInput in) throws IOException;
}
