package org.jvirt.vmm.devices.display;

import org.jvirt.vmm.bus.IoDevice;

/** BAR0: all of VRAM, byte-addressed little-endian (the VBE linear framebuffer). Offsets wrap at the VRAM size. */
final class LinearFramebuffer implements IoDevice {
    private final Vram vram;

    LinearFramebuffer(Vram vram) {
        this.vram = vram;
    }

    @Override
    public long read(long offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | vram.read8((int) (offset + i));
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        for (int i = 0; i < size; i++) vram.write8((int) (offset + i), (int) (value >>> (8 * i)));
    }
}
