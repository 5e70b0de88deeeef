package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.kvm.KvmLayout;
import org.jvirt.vmm.kvm.NativeBuffer;
import org.jvirt.vmm.kvm.VmFd;
import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;

/**
 * KVM's dirty log over the memory slots of one guest RAM (slot i = region i): enabling sets
 * KVM_MEM_LOG_DIRTY_PAGES on each slot (a flags-only change of the slot), collecting reads and
 * clears each slot's bitmap with KVM_GET_DIRTY_LOG (one bit per 4 KiB page, in 64-bit words).
 */
final class KvmDirtyLog implements DirtyLog {
    private static final int PAGE_SHIFT = 12;

    private final VmFd vm;
    private final List<MmapGuestMemory.Region> slots;
    private NativeBuffer[] bitmaps; // one per slot while enabled

    KvmDirtyLog(VmFd vm, List<MmapGuestMemory.Region> slots) {
        this.vm = vm;
        this.slots = List.copyOf(slots);
    }

    @Override
    public synchronized void enable() {
        if (bitmaps != null) return;
        NativeBuffer[] b = new NativeBuffer[slots.size()];
        for (int i = 0; i < b.length; i++) {
            long pages = slots.get(i).size() >>> PAGE_SHIFT;
            b[i] = NativeBuffer.allocate((int) (((pages + 63) >>> 6) << 3));
        }
        setFlags(KvmLayout.MEM_LOG_DIRTY_PAGES);
        bitmaps = b;
    }

    @Override
    public synchronized void disable() {
        if (bitmaps == null) return;
        setFlags(0);
        for (NativeBuffer b : bitmaps) b.close();
        bitmaps = null;
    }

    @Override public synchronized boolean enabled() { return bitmaps != null; }

    private void setFlags(int flags) {
        for (int i = 0; i < slots.size(); i++) {
            MmapGuestMemory.Region r = slots.get(i);
            vm.setUserMemoryRegion(i, flags, r.start(), r.size(), r.hostAddress());
        }
    }

    @Override
    public synchronized BitSet collect() {
        if (bitmaps == null) throw new IllegalStateException("the dirty log is not enabled");
        BitSet dirty = new BitSet();
        for (int i = 0; i < slots.size(); i++) {
            vm.getDirtyLog(i, bitmaps[i]);
            ByteBuffer words = bitmaps[i].buffer();
            int firstFrame = (int) (slots.get(i).start() >>> PAGE_SHIFT);
            for (int w = 0; w < words.capacity() >>> 3; w++) {
                long bits = words.getLong(w << 3);
                while (bits != 0) {
                    dirty.set(firstFrame + (w << 6) + Long.numberOfTrailingZeros(bits));
                    bits &= bits - 1;
                }
            }
        }
        return dirty;
    }
}
