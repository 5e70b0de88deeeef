package org.jvirt.vmm.devices.display;

import org.jvirt.vmm.bus.IoDevice;

/**
 * The legacy ports on the I/O bus: the VGA registers 0x3b0-0x3df (a wider access is split into
 * bytes, so outw(0x3c4, index | value << 8) sets a sequencer register as on a VGA) and the
 * Bochs VBE index/data pair 0x1ce/0x1cf (16-bit registers).
 */
final class PortBlock {
    static final int VGA_BASE = 0x3b0, VGA_LENGTH = 0x30, VBE_BASE = 0x1ce, VBE_LENGTH = 2;

    private PortBlock() { }

    static IoDevice vgaPorts(StdVga vga) {
        return new IoDevice() {
            @Override
            public long read(long offset, int size) {
                long v = 0;
                for (int i = 0; i < size && offset + i < VGA_LENGTH; i++) v |= (long) vga.portRead(VGA_BASE + (int) offset + i) << (8 * i);
                return v;
            }

            @Override
            public void write(long offset, int size, long value) {
                for (int i = 0; i < size && offset + i < VGA_LENGTH; i++) vga.portWrite(VGA_BASE + (int) offset + i, (int) (value >>> (8 * i)) & 0xff);
            }
        };
    }

    static IoDevice vbePorts(StdVga vga) {
        return new IoDevice() {
            @Override
            public long read(long offset, int size) {
                return offset == 0 ? vga.vbeIndexRead() : vga.vbeDataRead();
            }

            @Override
            public void write(long offset, int size, long value) {
                if (offset == 0) vga.vbeIndexWrite((int) value & 0xffff);
                else vga.vbeDataWrite((int) value & 0xffff);
            }
        };
    }
}
