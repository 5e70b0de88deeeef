package org.jvirt.vmm.devices.virtio;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.VarHandle;

import org.jvirt.vmm.memory.GuestMemory;

/**
 * A split virtqueue (virtio 1.x section 2.7): descriptor table, driver (avail) ring and device
 * (used) ring in guest memory. Every guest-supplied index, address and length is checked: ring
 * addresses when the queue is enabled, descriptor indices against the queue size, chain length
 * against the queue size (so a looping chain ends), indirect tables for size and nesting. A
 * violation throws {@link VirtioException}; guest memory is only touched through GuestMemory.
 * No event-idx support (VIRTIO_F_EVENT_IDX is not offered); the flags are (see
 * {@link #suppressNotifications} and {@link #interruptWanted}). Not thread-safe: the transport
 * serializes access.
 */
public final class SplitVirtqueue {

    public static final int NO_VECTOR = 0xFFFF;
    static final int DESC_F_NEXT = 1, DESC_F_WRITE = 2, DESC_F_INDIRECT = 4;
    static final int AVAIL_F_NO_INTERRUPT = 1, USED_F_NO_NOTIFY = 1;
    private static final int DESC_SIZE = 16;

    private final int maxSize;
    private int size;
    private boolean ready;
    private long descTable, availRing, usedRing;
    private int msixVector = NO_VECTOR;
    private int lastAvail;  // next avail ring entry to consume (free-running 16-bit)
    private int nextUsed;   // next used index to publish (free-running 16-bit)
    private boolean indirectAllowed;

    public SplitVirtqueue(int maxSize) {
        if (maxSize < 1 || maxSize > 32768) throw new IllegalArgumentException("queue size " + maxSize);
        this.maxSize = maxSize;
        this.size = maxSize;
    }

    // ---- configuration by the transport ----

    public int maxSize() { return maxSize; }
    public int size() { return size; }
    public boolean ready() { return ready; }
    public long descTable() { return descTable; }
    public long availRing() { return availRing; }
    public long usedRing() { return usedRing; }
    public int msixVector() { return msixVector; }

    /** Sets the size the driver chose; ignored once the queue is enabled or when out of range. */
    public void setSize(int s) {
        if (!ready && s >= 1 && s <= maxSize) size = s;
    }

    public void setDescTable(long a) { if (!ready) descTable = a; }
    public void setAvailRing(long a) { if (!ready) availRing = a; }
    public void setUsedRing(long a) { if (!ready) usedRing = a; }
    public void setMsixVector(int v) { msixVector = v; }

    /**
     * The driver enables the queue: checks that the three areas are aligned and inside RAM.
     * Throws when they are not (the device then needs a reset).
     */
    public void enable(GuestMemory mem, boolean indirectDescriptors) throws VirtioException {
        if ((descTable & 15) != 0 || (availRing & 1) != 0 || (usedRing & 3) != 0)
            throw new VirtioException("misaligned virtqueue areas");
        if (!mem.isValidRange(descTable, (long) DESC_SIZE * size)
                || !mem.isValidRange(availRing, 6 + 2L * size)
                || !mem.isValidRange(usedRing, 6 + 8L * size))
            throw new VirtioException("virtqueue areas outside guest RAM");
        indirectAllowed = indirectDescriptors;
        ready = true;
    }

    public void reset() {
        size = maxSize;
        ready = false;
        descTable = availRing = usedRing = 0;
        msixVector = NO_VECTOR;
        lastAvail = nextUsed = 0;
    }

    // ---- device side ----

    /**
     * Takes the next available chain into chain; false when the driver has published nothing new.
     * Throws on a malformed ring or chain. The chain's capacity must be at least the queue size.
     */
    public boolean next(GuestMemory mem, DescriptorChain chain) throws VirtioException {
        if (!ready) return false;
        int availIdx = mem.readShort(availRing + 2) & 0xFFFF;
        int outstanding = (availIdx - lastAvail) & 0xFFFF;
        if (outstanding == 0) return false;
        if (outstanding > size) throw new VirtioException("avail index ran " + outstanding + " ahead of a queue of " + size);
        VarHandle.acquireFence(); // read the ring entry only after seeing the index that published it
        int head = mem.readShort(availRing + 4 + 2L * (lastAvail % size)) & 0xFFFF;
        lastAvail = (lastAvail + 1) & 0xFFFF;
        walk(mem, head, chain);
        return true;
    }

    private void walk(GuestMemory mem, int head, DescriptorChain chain) throws VirtioException {
        if (head >= size) throw new VirtioException("head descriptor " + head + " beyond queue size " + size);
        chain.clear(head);
        long table = descTable;
        int tableSize = size;
        boolean inIndirect = false;
        int index = head;
        int budget = Math.min(size, chain.addr.length); // total descriptors a chain may use
        while (true) {
            long d = table + (long) DESC_SIZE * index;
            long addr = mem.readLong(d);
            int len = mem.readInt(d + 8);
            int flags = mem.readShort(d + 12) & 0xFFFF;
            int next = mem.readShort(d + 14) & 0xFFFF;
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!indirectAllowed || inIndirect) throw new VirtioException("unexpected indirect descriptor");
                if ((flags & DESC_F_NEXT) != 0) throw new VirtioException("indirect descriptor with NEXT");
                long bytes = len & 0xFFFF_FFFFL;
                if (bytes == 0 || bytes % DESC_SIZE != 0 || bytes / DESC_SIZE > budget)
                    throw new VirtioException("bad indirect table length " + bytes);
                if (!mem.isValidRange(addr, bytes)) throw new VirtioException("indirect table outside guest RAM");
                table = addr;
                tableSize = (int) (bytes / DESC_SIZE);
                inIndirect = true;
                index = 0;
                continue;
            }
            if (chain.count >= budget) throw new VirtioException("descriptor chain longer than the queue (loop?)");
            boolean writable = (flags & DESC_F_WRITE) != 0;
            if (!writable && chain.count > chain.readableCount)
                throw new VirtioException("readable descriptor after a writable one");
            chain.addr[chain.count] = addr;
            chain.len[chain.count] = len;
            chain.count++;
            if (writable) chain.writableBytes += len & 0xFFFF_FFFFL;
            else { chain.readableCount++; chain.readableBytes += len & 0xFFFF_FFFFL; }
            if ((flags & DESC_F_NEXT) == 0) return;
            if (next >= tableSize) throw new VirtioException("next descriptor " + next + " out of range");
            index = next;
        }
    }

    /** Returns a chain to the driver with the number of bytes written into it. */
    public void addUsed(GuestMemory mem, int head, int writtenBytes) {
        long elem = usedRing + 4 + 8L * (nextUsed % size);
        mem.writeInt(elem, head);
        mem.writeInt(elem + 4, writtenBytes);
        nextUsed = (nextUsed + 1) & 0xFFFF;
        VarHandle.releaseFence(); // the element must be visible before the index that publishes it
        mem.writeShort(usedRing + 2, (short) nextUsed);
    }

    /**
     * Writes used element nextUsed + k without publishing it (a frame spread over several
     * receive buffers must reach the driver at once); {@link #publishUsed} then publishes them.
     */
    public void addUsedUnpublished(GuestMemory mem, int k, int head, int writtenBytes) {
        long elem = usedRing + 4 + 8L * (((nextUsed + k) & 0xFFFF) % size);
        mem.writeInt(elem, head);
        mem.writeInt(elem + 4, writtenBytes);
    }

    /** Publishes the count elements written by {@link #addUsedUnpublished}. */
    public void publishUsed(GuestMemory mem, int count) {
        nextUsed = (nextUsed + count) & 0xFFFF;
        VarHandle.releaseFence();
        mem.writeShort(usedRing + 2, (short) nextUsed);
    }

    /** Gives back the last count chains {@link #next} took, unused (they are taken again later). */
    public void rewind(int count) {
        lastAvail = (lastAvail - count) & 0xFFFF;
    }

    /**
     * Sets or clears VIRTQ_USED_F_NO_NOTIFY: while the device drains the queue anyway, the driver
     * need not notify (advisory, section 2.7.10). After clearing it, {@link #hasAvailable} must be
     * asked once more: a chain published before the driver saw the flag cleared came without a notify.
     */
    public void suppressNotifications(GuestMemory mem, boolean suppress) {
        if (ready) mem.writeShort(usedRing, (short) (suppress ? USED_F_NO_NOTIFY : 0));
    }

    /** Whether the driver has published a chain {@link #next} has not taken yet. */
    public boolean hasAvailable(GuestMemory mem) {
        if (!ready) return false;
        VarHandle.fullFence(); // our flags store before their index load
        return (mem.readShort(availRing + 2) & 0xFFFF) != lastAvail;
    }

    /** Whether the driver wants an interrupt for used buffers (VIRTQ_AVAIL_F_NO_INTERRUPT clear). */
    public boolean interruptWanted(GuestMemory mem) {
        VarHandle.fullFence(); // our used-index store before their flags load
        return (mem.readShort(availRing) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    // ---- snapshot ----

    public void saveState(DataOutput out) throws IOException {
        out.writeInt(size);
        out.writeBoolean(ready);
        out.writeLong(descTable);
        out.writeLong(availRing);
        out.writeLong(usedRing);
        out.writeShort(msixVector);
        out.writeShort(lastAvail);
        out.writeShort(nextUsed);
        out.writeBoolean(indirectAllowed);
    }

    public void loadState(DataInput in) throws IOException {
        int s = in.readInt();
        if (s < 1 || s > maxSize) throw new IOException("queue size " + s + " exceeds " + maxSize);
        size = s;
        ready = in.readBoolean();
        descTable = in.readLong();
        availRing = in.readLong();
        usedRing = in.readLong();
        msixVector = in.readUnsignedShort();
        lastAvail = in.readUnsignedShort();
        nextUsed = in.readUnsignedShort();
        indirectAllowed = in.readBoolean();
    }
}
