package org.jvirt.vmm.emu;

import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;

import java.util.BitSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The emulator's dirty log: one bit per guest frame, set by {@link EmuPhysicalBus} on each CPU
 * write to RAM while enabled (the counterpart of KVM's KVM_GET_DIRTY_LOG bitmaps). Marking is
 * a load and, for a page not yet dirty, one atomic OR; collecting swaps each word with zero,
 * so a write racing a collect lands in this result or the next.
 */
public final class EmuDirtyLog implements DirtyLog {
    private static final int PAGE_SHIFT = 12;
    /** Atomic access to the words of a page bitmap. */
    static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] bits;
    /** Read on every CPU write to RAM: a plain volatile flag, not a lock. */
    volatile boolean enabled;

    /** A log covering memory's RAM (the accelerator makes it at attachMemory, before any bus exists). */
    public EmuDirtyLog(MmapGuestMemory memory) {
        long top = 0;
        for (MmapGuestMemory.Region r : memory.regions()) top = Math.max(top, r.end());
        bits = new long[(int) (((top >>> PAGE_SHIFT) + 63) >>> 6)];
    }

    void mark(long frame) {
        int word = (int) (frame >>> 6);
        long bit = 1L << frame;
        if (((long) WORDS.getVolatile(bits, word) & bit) == 0) { long before = (long) WORDS.getAndBitwiseOr(bits, word, bit); }
    }

    @Override
    public synchronized void enable() {
        if (enabled) return;
        for (int i = 0; i < bits.length; i++) WORDS.setVolatile(bits, i, 0L);
        enabled = true;
    }

    @Override
    public synchronized void disable() { enabled = false; }

    @Override public boolean enabled() { return enabled; }

    @Override
    public synchronized BitSet collect() {
        if (!enabled) throw new IllegalStateException("the dirty log is not enabled");
        BitSet dirty = new BitSet();
        for (int w = 0; w < bits.length; w++) {
            long word = (long) WORDS.getAndSet(bits, w, 0L);
            while (word != 0) {
                dirty.set((w << 6) + Long.numberOfTrailingZeros(word));
                word &= word - 1;
            }
        }
        return dirty;
    }
}
