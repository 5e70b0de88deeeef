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

    /** Stops guest time while the machine is paused (an emulated clock; KVM's in-kernel timers need nothing). */
    default void pause() { }

    /** Lets guest time run again after {@link #pause}. */
    default void resume() { }
}
