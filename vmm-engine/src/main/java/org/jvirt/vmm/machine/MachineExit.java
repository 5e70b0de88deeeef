package org.jvirt.vmm.machine;

import org.jvirt.vmm.devices.debug.DebugExit;

/**
 * How a VM ended. {@link #exitStatus()} is the process exit status QEMU would give:
 * 0 for a power-off or a host stop, (v &lt;&lt; 1) | 1 for a debug-exit write of v, 1 for an error.
 */
public record MachineExit(Kind kind, int debugExitValue, String message) {

    public enum Kind {
        /** The guest powered off (ACPI S5, KVM shutdown event). */
        POWER_OFF,
        /** The guest wrote to the isa-debug-exit port. */
        DEBUG_EXIT,
        /** The guest reset itself while resets end the VM (on_reboot='destroy'). */
        GUEST_RESET,
        /** The host stopped the VM. */
        STOPPED,
        /** The VM could not continue (emulation failure, internal error, device failure). */
        ERROR
    }

    public static MachineExit powerOff() { return new MachineExit(Kind.POWER_OFF, 0, "guest powered off"); }

    public static MachineExit debugExit(int value) {
        return new MachineExit(Kind.DEBUG_EXIT, value, "guest wrote " + value + " to the debug-exit port");
    }

    public static MachineExit guestReset() { return new MachineExit(Kind.GUEST_RESET, 0, "guest reset, and resets end the VM"); }

    public static MachineExit stopped() { return new MachineExit(Kind.STOPPED, 0, "stopped by the host"); }

    public static MachineExit error(String message) { return new MachineExit(Kind.ERROR, 0, message); }

    public int exitStatus() {
        return switch (kind) {
            case POWER_OFF, STOPPED, GUEST_RESET -> 0;
            case DEBUG_EXIT -> DebugExit.exitStatus(debugExitValue);
            case ERROR -> 1;
        };
    }
}
