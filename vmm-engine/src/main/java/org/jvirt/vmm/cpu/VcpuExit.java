package org.jvirt.vmm.cpu;

/** Why {@link Vcpu#run} returned. */
public enum VcpuExit {
    /** Kicked (pause/stop request or signal): nothing happened to the guest. */
    INTERRUPTED,
    /** HLT with no in-kernel interrupt controller to wait on. */
    HALTED,
    /** Triple fault: a PC resets, as QEMU does. */
    SHUTDOWN,
    /** The guest asked for a platform reset (e.g. KVM_SYSTEM_EVENT_RESET). */
    RESET,
    /** The guest asked to power off (KVM_SYSTEM_EVENT_SHUTDOWN). */
    POWER_OFF,
    /** The backend cannot continue the guest; see {@link Vcpu#errorDetail()}. */
    ERROR
}
