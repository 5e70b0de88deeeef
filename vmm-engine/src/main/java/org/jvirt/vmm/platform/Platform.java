package org.jvirt.vmm.platform;

/**
 * The interrupt controllers, PIT and guest clock of a machine, whoever implements them.
 * Export and import only while every vCPU is stopped (paused), as for
 * {@link org.jvirt.vmm.cpu.Vcpu#exportState}; import the platform before the vCPUs.
 */
public interface Platform {

    /** Puts the interrupt controllers and timers back to power-on state (guest reset). */
    void reset();

    PlatformState exportState();

    void importState(PlatformState state);
}
