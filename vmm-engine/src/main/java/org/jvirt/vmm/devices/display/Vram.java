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
