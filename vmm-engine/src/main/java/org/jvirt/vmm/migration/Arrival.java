package org.jvirt.vmm.migration;

import org.jvirt.vmm.machine.Machine;

/**
 * What the destination does once the guest's whole state is in, before it tells the source that
 * it took over: run the guest here at once (QEMU's -incoming), or hold it paused for the manager
 * to continue once the migration is confirmed (QEMU's -S -incoming, as libvirt runs it: a
 * source that never hears the answer then resumes alone, never beside a running copy).
 */
@FunctionalInterface
public interface Arrival {
    /** sourceRan: the guest ran on the source when it stopped there. Returns whether it runs here now. */
    boolean arrived(boolean sourceRan);

    /** Runs the guest here if it ran on the source. */
    static Arrival runOn(Machine m) {
        return sourceRan -> {
            if (sourceRan) m.resume();
            return sourceRan;
        };
    }
}
