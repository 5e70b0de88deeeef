package org.jvirt.vmm.devices;

/**
 * A device that returns to its power-on state when the machine resets (the guest rebooting).
 * Host-side attachments (backends, files, interrupt lines) stay; guest-visible registers reset.
 */
public interface Resettable {
    void reset();
}
