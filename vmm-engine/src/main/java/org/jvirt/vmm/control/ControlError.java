package org.jvirt.vmm.control;

/** A command failed with a QMP error class other than GenericError (e.g. DeviceNotActive). */
public final class ControlError extends Exception {
    private final String errorClass;

    public ControlError(String errorClass, String desc) {
        super(desc);
        this.errorClass = errorClass;
    }

    public String errorClass() { return errorClass; }
}
