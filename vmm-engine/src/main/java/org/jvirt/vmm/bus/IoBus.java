package org.jvirt.vmm.bus;

import java.util.Arrays;

/**
 * An address space (port I/O or MMIO) of non-overlapping ranges, each served by one
 * {@link IoDevice}. Lookups are a binary search over arrays: nothing is allocated per access.
 * Registration is rare and copies the arrays; reads of the arrays are safe from vCPU threads
 * because they are replaced as a whole (volatile snapshot).
 */
public final class IoBus {

    private record Ranges(long[] bases, long[] lengths, IoDevice[] devices) { }

    private final String name;
    private volatile Ranges ranges = new Ranges(new long[0], new long[0], new IoDevice[0]);

    public IoBus(String name) {
        this.name = name;
    }

    /** Registers device for [base, base+length). Overlap with an existing range is an error. */
    public synchronized void register(long base, long length, IoDevice device) {
        if (length <= 0) throw new IllegalArgumentException(name + ": empty range at 0x" + Long.toHexString(base));
        Ranges r = ranges;
        int n = r.bases.length;
        int at = 0;
        while (at < n && r.bases[at] < base) at++;
        if (at > 0 && r.bases[at - 1] + r.lengths[at - 1] > base)
            throw overlap(base, length, r.bases[at - 1], r.lengths[at - 1]);
        if (at < n && base + length > r.bases[at])
            throw overlap(base, length, r.bases[at], r.lengths[at]);
        long[] b = insert(r.bases, at, base);
        long[] l = insert(r.lengths, at, length);
        IoDevice[] d = Arrays.copyOf(r.devices, n + 1);
        System.arraycopy(r.devices, at, d, at + 1, n - at);
        d[at] = device;
        ranges = new Ranges(b, l, d);
    }

    /** Removes the range that starts at base (used when a guest moves a PCI BAR). */
    public synchronized boolean unregister(long base) {
        Ranges r = ranges;
        int i = Arrays.binarySearch(r.bases, base);
        if (i < 0) return false;
        int n = r.bases.length;
        long[] b = new long[n - 1], l = new long[n - 1];
        IoDevice[] d = new IoDevice[n - 1];
        System.arraycopy(r.bases, 0, b, 0, i); System.arraycopy(r.bases, i + 1, b, i, n - i - 1);
        System.arraycopy(r.lengths, 0, l, 0, i); System.arraycopy(r.lengths, i + 1, l, i, n - i - 1);
        System.arraycopy(r.devices, 0, d, 0, i); System.arraycopy(r.devices, i + 1, d, i, n - i - 1);
        ranges = new Ranges(b, l, d);
        return true;
    }

    /**
     * Reads from the device at address; an unclaimed address reads as all ones,
     * as on real hardware (the guest sees a floating bus, the VMM does not fail).
     */
    public long read(long address, int size) {
        Ranges r = ranges;
        int i = find(r, address);
        if (i < 0) return size >= 8 ? -1L : (1L << (size * 8)) - 1;
        return r.devices[i].read(address - r.bases[i], size);
    }

    /** Writes to the device at address; a write to an unclaimed address is dropped. Returns false then. */
    public boolean write(long address, int size, long value) {
        Ranges r = ranges;
        int i = find(r, address);
        if (i < 0) return false;
        r.devices[i].write(address - r.bases[i], size, value);
        return true;
    }

    /** True when some device claims address. */
    public boolean isClaimed(long address) {
        return find(ranges, address) >= 0;
    }

    private static int find(Ranges r, long address) {
        long[] bases = r.bases;
        int lo = 0, hi = bases.length - 1, hit = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (bases[mid] <= address) { hit = mid; lo = mid + 1; } else hi = mid - 1;
        }
        if (hit >= 0 && address - bases[hit] < r.lengths[hit]) return hit;
        return -1;
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] out = new long[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    private IllegalArgumentException overlap(long base, long len, long otherBase, long otherLen) {
        return new IllegalArgumentException(String.format("%s: range 0x%x+0x%x overlaps 0x%x+0x%x",
                name, base, len, otherBase, otherLen));
    }

    @Override
    public String toString() {
        return "IoBus(" + name + ", " + ranges.bases.length + " ranges)";
    }
}
