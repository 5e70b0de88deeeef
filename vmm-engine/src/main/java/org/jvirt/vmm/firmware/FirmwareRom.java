package org.jvirt.vmm.firmware;

import org.jvirt.vmm.bus.IoDevice;

/**
 * The firmware image as read-only memory on the MMIO bus, ending at 4 GiB: reads return the
 * image's bytes (little-endian), writes are dropped as a ROM drops them.
 */
public final class FirmwareRom implements IoDevice {
    private final byte[] image;

    public FirmwareRom(FirmwareImage image) {
        this.image = image.bytes();
    }

    public int length() { return image.length; }

    @Override
    public long read(long offset, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            long at = offset + i;
            int b = at >= 0 && at < image.length ? image[(int) at] & 0xff : 0xff;
            v |= (long) b << (8 * i);
        }
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        // ROM: ignored
    }
}
