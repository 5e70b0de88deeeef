package org.jvirt.vmm.memory;

/** A contiguous guest-physical range of RAM [start, start+size). */
public record RamRange(long start, long size) {
    public RamRange {
        if (start < 0 || size <= 0 || start + size < start) throw new IllegalArgumentException("bad RAM range " + start + "+" + size);
    }

    public long end() { return start + size; }
}
