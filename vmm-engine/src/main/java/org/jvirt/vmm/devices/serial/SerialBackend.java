package org.jvirt.vmm.devices.serial;

/**
 * Where a UART's transmitted bytes go and where its received bytes come from.
 * {@link #write(int)} is called on the vCPU thread for each byte the guest transmits and must
 * neither block for long nor allocate. A backend that produces input calls
 * {@link SerialInput#receive} on the input it was {@link #attach attached} to.
 */
public interface SerialBackend extends AutoCloseable {

    /** One byte transmitted by the guest (low 8 bits of b). */
    void write(int b);

    /** Called once by the UART: the sink for bytes the host sends to the guest. */
    default void attach(SerialInput input) { }

    @Override
    default void close() { }
}
