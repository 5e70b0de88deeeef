package org.jvirt.vmm.devices.display;

import org.jvirt.vmm.bus.IoDevice;

/** The expansion ROM's contents (the VGA BIOS), read-only; past the image it reads zeros, as QEMU's padded ROM. */
final class OptionRom implements IoDevice {
    private final byte[] image;

    OptionRom(byte[] image, int size) {
        this.image = java.util.Arrays.copyOf(image, size);
    }

    /**
     * The function's expansion ROM holding image (its BAR sized to the next power of two, 2 KiB
     * at least), or null without an image (a kernel boot needs no firmware).
     */
    static OptionRom attach(org.jvirt.vmm.devices.pci.PciConfigSpace config, byte[] image) {
        if (image == null || image.length == 0) return null;
        long size = Math.max(2048, Long.highestOneBit(image.length - 1) << 1);
        config.defineRom(size);
        return new OptionRom(image, (int) size);
    }

    @Override
    public long read(long offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            long at = offset + i;
            v = (v << 8) | (at >= 0 && at < image.length ? image[(int) at] & 0xff : 0);
        }
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        // read-only
    }
}
