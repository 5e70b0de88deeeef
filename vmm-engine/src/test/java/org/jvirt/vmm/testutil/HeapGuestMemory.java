package org.jvirt.vmm.testutil;

import org.jvirt.vmm.memory.GuestMemory;
import org.jvirt.vmm.memory.GuestMemoryException;

/**
 * Guest RAM on the Java heap for device tests: one region [0, size), bounds-checked like the
 * real thing (an out-of-range access throws GuestMemoryException and touches nothing).
 * Counts rejected accesses so tests can assert a hostile request was caught at the bounds check.
 */
public final class HeapGuestMemory implements GuestMemory {
    private final byte[] ram;
    private int rejected;

    public HeapGuestMemory(int size) {
        this.ram = new byte[size];
    }

    public int rejectedAccesses() { return rejected; }

    @Override public long size() { return ram.length; }

    @Override
    public boolean isValidRange(long gpa, long len) {
        return gpa >= 0 && len >= 0 && gpa <= ram.length && len <= ram.length - gpa;
    }

    private int check(long gpa, long len) {
        if (!isValidRange(gpa, len)) {
            rejected++;
            throw new GuestMemoryException(gpa, len);
        }
        return (int) gpa;
    }

    @Override public byte readByte(long gpa) { return ram[check(gpa, 1)]; }
    @Override public short readShort(long gpa) { int i = check(gpa, 2); return (short) ((ram[i] & 0xFF) | ram[i + 1] << 8); }
    @Override public int readInt(long gpa) {
        int i = check(gpa, 4);
        return (ram[i] & 0xFF) | (ram[i + 1] & 0xFF) << 8 | (ram[i + 2] & 0xFF) << 16 | ram[i + 3] << 24;
    }
    @Override public long readLong(long gpa) {
        check(gpa, 8);
        return (readInt(gpa) & 0xFFFF_FFFFL) | (long) readInt(gpa + 4) << 32;
    }

    @Override public void writeByte(long gpa, byte v) { ram[check(gpa, 1)] = v; }
    @Override public void writeShort(long gpa, short v) { int i = check(gpa, 2); ram[i] = (byte) v; ram[i + 1] = (byte) (v >> 8); }
    @Override public void writeInt(long gpa, int v) {
        int i = check(gpa, 4);
        for (int k = 0; k < 4; k++) ram[i + k] = (byte) (v >> (8 * k));
    }
    @Override public void writeLong(long gpa, long v) {
        int i = check(gpa, 8);
        for (int k = 0; k < 8; k++) ram[i + k] = (byte) (v >> (8 * k));
    }

    @Override public void read(long gpa, byte[] dst, int off, int len) { System.arraycopy(ram, check(gpa, len), dst, off, len); }
    @Override public void write(long gpa, byte[] src, int off, int len) { System.arraycopy(src, off, ram, check(gpa, len), len); }
}
