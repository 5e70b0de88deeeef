package org.jvirt.vmm.devices.virtio;

/**
 * The driver broke the virtio protocol (a malformed ring or chain) badly enough that the device
 * cannot go on: the transport answers with DEVICE_NEEDS_RESET. Thrown on the device path only,
 * never out of an IoDevice access.
 */
public final class VirtioException extends Exception {
    public VirtioException(String message) {
        super(message, null, false, false); // no stack trace: cheap, and the message says it all
    }
}
