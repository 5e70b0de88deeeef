package org.jvirt.vmm.memory;

/**
 * Guest-physical memory as devices and loaders see it. Every access is bounds-checked:
 * an address (or range) outside guest RAM throws {@link GuestMemoryException} and never
 * touches host memory. Multi-byte values are little-endian, as on x86.
 */
public interface GuestMemory {

    /** Total bytes of guest RAM (sum of all regions). */
    long size();

    /** True when every byte of [gpa, gpa+len) is backed by guest RAM. */
    boolean isValidRange(long gpa, long len);

    byte readByte(long gpa);
    short readShort(long gpa);
    int readInt(long gpa);
    long readLong(long gpa);

    void writeByte(long gpa, byte value);
    void writeShort(long gpa, short value);
    void writeInt(long gpa, int value);
    void writeLong(long gpa, long value);

    /** Copies guest memory [gpa, gpa+len) into dst[off..off+len). */
    void read(long gpa, byte[] dst, int off, int len);

    /** Copies src[off..off+len) into guest memory at gpa. */
    void write(long gpa, byte[] src, int off, int len);

    /** Fills [gpa, gpa+len) with zero bytes. */
    default void zero(long gpa, long len) {
        byte[] z = new byte[(int) Math.min(len, 65536)];
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(z.length, len - done);
            write(gpa + done, z, 0, n);
            done += n;
        }
    }
}
