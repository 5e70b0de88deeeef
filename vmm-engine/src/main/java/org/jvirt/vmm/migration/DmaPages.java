package org.jvirt.vmm.migration;

import java.util.BitSet;
import org.jvirt.vmm.memory.MmapGuestMemory;

/** The guest pages the VMM itself wrote (device DMA) since the last drain: the dirty log's blind spot. */
final class DmaPages implements MmapGuestMemory.WriteListener {
    private BitSet pages = new BitSet();

    @Override
    public synchronized void written(long gpa, long len) {
        if (len <= 0) return;
        long first = gpa / MigrationStream.PAGE, last = (gpa + len - 1) / MigrationStream.PAGE;
        pages.set((int) first, (int) last + 1);
    }

    /** The pages written since the previous drain; starts a new set. */
    synchronized BitSet drain() {
        BitSet b = pages;
        pages = new BitSet();
        return b;
    }
}
