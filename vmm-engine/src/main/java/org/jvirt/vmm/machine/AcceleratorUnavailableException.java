package org.jvirt.vmm.machine;

/**
 * The CPU backend a machine asked for cannot be had: this build lacks it ({@link Reason#NOT_IMPLEMENTED})
 * or the host cannot run it ({@link Reason#HOST_UNSUPPORTED}, e.g. /dev/kvm missing or refused).
 * Callers that map errors (the VMM's command line, tests) look at {@link #accel()} and
 * {@link #reason()} rather than at the message.
 */
public final class AcceleratorUnavailableException extends MachineException {
    public enum Reason { NOT_IMPLEMENTED, HOST_UNSUPPORTED }

    private final MachineConfig.Accel accel;
    private final Reason reason;

    private AcceleratorUnavailableException(MachineConfig.Accel accel, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.accel = accel;
        this.reason = reason;
    }

    /** The one wording of "this build has no such backend" (the VMM's error line). */
    public static AcceleratorUnavailableException notImplemented(MachineConfig.Accel accel) {
        String other = accel == MachineConfig.Accel.EMU ? MachineConfig.Accel.KVM.cliName() : MachineConfig.Accel.EMU.cliName();
        return new AcceleratorUnavailableException(accel, Reason.NOT_IMPLEMENTED, String.format(
                "the %s accelerator (--accel %s) is not available yet; use --accel %s",
                accel == MachineConfig.Accel.EMU ? "emulator" : "KVM", accel.cliName(), other), null);
    }

    public static AcceleratorUnavailableException hostCannot(MachineConfig.Accel accel, String message, Throwable cause) {
        return new AcceleratorUnavailableException(accel, Reason.HOST_UNSUPPORTED, message, cause);
    }

    public MachineConfig.Accel accel() { return accel; }

    public Reason reason() { return reason; }
}
