package org.jvirt.vmm.emu.cpu;

/**
 * The vCPU's view of its interrupt controller (the local APIC, which itself forwards the 8259
 * through LINT0 in virtual-wire mode). The CPU polls at instruction boundaries; a controller
 * that gains an interrupt for a halted or running vCPU also calls the vCPU's wake-up.
 */
public interface InterruptSource {
    /** True when a maskable interrupt is ready for delivery (the CPU then checks RFLAGS.IF and the shadow). */
    boolean hasInterrupt();

    /** Acknowledges the highest-priority ready interrupt and returns its vector (the INTA cycle). */
    int acknowledge();

    /** An NMI waiting (consumed by the call). */
    default boolean takeNmi() { return false; }

    /** No controller: nothing is ever pending (the single-step test runners use it). */
    InterruptSource NONE = new InterruptSource() {
        @Override public boolean hasInterrupt() { return false; }
        @Override public int acknowledge() { throw new IllegalStateException("no interrupt pending"); }
    };
}
