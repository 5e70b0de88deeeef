package org.jvirt.vmm.devices.virtio;

import org.jvirt.vmm.memory.GuestMemory;

/**
 * One request's descriptor chain, flattened into segments: first the device-readable ones, then
 * the device-writable ones. Reused from request to request (no allocation per request).
 * Segment ranges are not yet known to be inside guest RAM: check {@link #allInRam}.
 */
public final class DescriptorChain {

    final long[] addr;
    final int[] len;
    int count;
    int readableCount;
    int head;
    long readableBytes, writableBytes;

    public DescriptorChain(int capacity) {
        addr = new long[capacity];
        len = new int[capacity];
    }

    void clear(int head) {
        this.head = head;
        count = readableCount = 0;
        readableBytes = writableBytes = 0;
    }

    public int head() { return head; }
    public long readableBytes() { return readableBytes; }
    public long writableBytes() { return writableBytes; }
    public int segments() { return count; }

    /** True when every segment lies inside guest RAM. */
    public boolean allInRam(GuestMemory mem) {
        for (int i = 0; i < count; i++) if (!mem.isValidRange(addr[i], len[i] & 0xFFFF_FFFFL)) return false;
        return true;
    }

    /** The guest address of the last writable byte (where virtio-blk puts its status), or -1. */
    public long lastWritableByte() {
        for (int i = count - 1; i >= readableCount; i--) if (len[i] != 0) return addr[i] + (len[i] & 0xFFFF_FFFFL) - 1;
        return -1;
    }

    /** Copies len bytes starting at offset of the readable stream into dst. */
    public void readFrom(GuestMemory mem, long offset, byte[] dst, int off, int n) {
        for (int i = 0; i < readableCount && n > 0; i++) {
            long l = len[i] & 0xFFFF_FFFFL;
            if (offset >= l) { offset -= l; continue; }
            int k = (int) Math.min(n, l - offset);
            mem.read(addr[i] + offset, dst, off, k);
            off += k;
            n -= k;
            offset = 0;
        }
    }

    /** Copies n bytes of src to offset of the writable stream. */
    public void writeTo(GuestMemory mem, long offset, byte[] src, int off, int n) {
        for (int i = readableCount; i < count && n > 0; i++) {
            long l = len[i] & 0xFFFF_FFFFL;
            if (offset >= l) { offset -= l; continue; }
            int k = (int) Math.min(n, l - offset);
            mem.write(addr[i] + offset, src, off, k);
            off += k;
            n -= k;
            offset = 0;
        }
    }
}
