package org.jvirt.vmm.devices.display;

/**
 * The adapter's video memory (a power of two; QEMU's vgamem_mb, 16 MiB by default). Every
 * guest-derived offset is masked with {@link #mask} before it indexes the array, as QEMU's
 * vga_read_byte wraps at the VRAM size.
 */
final class Vram {
    final byte[] bytes;
    final int mask;

    Vram(int size) {
        if (Integer.bitCount(size) != 1 || size < (256 << 10)) throw new IllegalArgumentException("VRAM size must be a power of two of at least 256 KiB: " + size);
        bytes = new byte[size];
        mask = size - 1;
    }

    int size() { return bytes.length; }

    /** Writes the size and the bytes up to the last non-zero one (the zero tail is not carried). */
    void save(java.io.DataOutput out) throws java.io.IOException {
        int used = bytes.length;
        while (used > 0 && bytes[used - 1] == 0) used--;
        out.writeInt(bytes.length);
        out.writeInt(used);
        out.write(bytes, 0, used);
    }

    /** Reads what {@link #save} wrote, refusing another size; device names the adapter in messages. */
    void load(java.io.DataInput in, String device) throws java.io.IOException {
        int size = in.readInt(), used = in.readInt();
        if (size != bytes.length) throw new java.io.IOException("the saved " + device + " has " + size + " bytes of VRAM, this one " + bytes.length);
        if (used < 0 || used > size) throw new java.io.IOException("bad " + device + " VRAM length " + used);
        in.readFully(bytes, 0, used);
        java.util.Arrays.fill(bytes, used, size, (byte) 0);
    }

    int read8(int offset) { return bytes[offset & mask] & 0xff; }

    void write8(int offset, int value) { bytes[offset & mask] = (byte) value; }

    /** The four planes' bytes at plane offset addr (byte 4*addr + plane), little-endian: plane 0 in the low byte. */
    int read32(int addr) {
        int o = (addr << 2) & mask;
        return (bytes[o] & 0xff) | (bytes[o + 1] & 0xff) << 8 | (bytes[o + 2] & 0xff) << 16 | (bytes[o + 3] & 0xff) << 24;
    }

    void write32(int addr, int value) {
        int o = (addr << 2) & mask;
        bytes[o] = (byte) value;
        bytes[o + 1] = (byte) (value >>> 8);
        bytes[o + 2] = (byte) (value >>> 16);
        bytes[o + 3] = (byte) (value >>> 24);
    }
}
