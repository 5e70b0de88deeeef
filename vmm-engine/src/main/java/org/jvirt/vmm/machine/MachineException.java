package org.jvirt.vmm.machine;

/** A VM that cannot be built or started, with a one-line reason fit for a user. */
public class MachineException extends RuntimeException {
    public MachineException(String message) {
        super(message);
    }

    public MachineException(String message, Throwable cause) {
        super(message, cause);
    }
}
