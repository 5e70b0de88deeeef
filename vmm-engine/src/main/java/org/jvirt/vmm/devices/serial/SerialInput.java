package org.jvirt.vmm.devices.serial;

/** The receive side of a UART, as host backends see it. Thread-safe. */
public interface SerialInput {

    /** Queues up to len bytes for the guest; returns how many were accepted (0 when full). */
    int receive(byte[] data, int off, int len);

    /** Queues all len bytes, waiting while the input queue is full. */
    void receiveFully(byte[] data, int off, int len) throws InterruptedException;
}
