package org.jvirt.vmm.cpu;

import org.jvirt.vmm.cpu.state.VcpuState;

/**
 * One virtual CPU of some backend (KVM today, a Java emulator later). {@link #run} executes guest
 * code and handles port-I/O and MMIO accesses itself (on the buses the backend was built with),
 * returning only for events the machine must decide on. All methods except {@link #kick} are
 * called from the vCPU's own thread, after {@link #bindToCurrentThread}.
 */
public interface Vcpu extends AutoCloseable {

    /** Index of this vCPU (0 is the boot processor); also its APIC id. */
    int index();

    /** Records the calling thread as this vCPU's thread (needed for kicks). */
    void bindToCurrentThread();

    /** Runs guest code until a machine-level event or a kick. Allocates nothing per I/O exit. */
    VcpuExit run();

    /** Human-readable detail of the last ERROR exit (exit reason, suberror, RIP). */
    String errorDetail();

    /**
     * Resets to power-on state. The boot processor then starts at boot (its entry state from the
     * boot loader); an application processor (boot == null) waits for INIT/SIPI.
     */
    void reset(BootCpuState boot);

    /** A copy of the main registers, for diagnostics and tests. */
    CpuRegisters registers();

    /**
     * The vCPU's complete state as plain values. Only while the vCPU is stopped: from its own
     * thread after {@link #run} returned, or from any thread once that thread no longer runs
     * it (a paused machine), never while {@link #run} is executing. An I/O or MMIO access the
     * last exit left half done is completed first, so the state is at an instruction boundary.
     */
    VcpuState exportState();

    /**
     * Replaces the vCPU's complete state (the same rule as {@link #exportState}: the vCPU is
     * stopped). The next {@link #run} continues from it. Guest memory and the platform (interrupt
     * controllers, timers) are the caller's to restore.
     */
    void importState(VcpuState state);

    /** From any thread: makes a running or about-to-run {@link #run} return INTERRUPTED soon. */
    void kick();

    @Override
    void close();
}
