package org.jvirt.vmm.memory;

import java.util.BitSet;

/**
 * Which guest RAM pages the vCPUs wrote, for incremental snapshots and live migration. Off until
 * {@link #enable}d (logging costs the guest a write fault on each page's first write after a
 * collect). Only writes by guest code are seen: the VMM's own writes into guest RAM (device
 * emulation, loaders) are not logged by the accelerator, so a caller tracks those itself.
 */
public interface DirtyLog {

    /** Starts logging on every RAM region; pages written from now on are reported by {@link #collect}. */
    void enable();

    /** Stops logging (collect then fails until the next enable). */
    void disable();

    boolean enabled();

    /**
     * Guest page frames (guest-physical address / 4096) written since {@link #enable} or the
     * previous collect, and clears the log. Exact while the vCPUs are stopped; while they run,
     * a page written during the call shows up in this result or in the next.
     */
    BitSet collect();
}
