package org.jvirt.vmm.devices.display;

import org.jvirt.vmm.bus.IoDevice;

/**
 * BAR2 of QEMU's VGA (4 KiB, as hw/display/vga-pci.c lays it out): the VGA ports 0x3c0-0x3df
 * at 0x400 (byte and 16-bit accesses, the high byte to the next port), the Bochs DISPI
 * registers at 0x500 (register i at 0x500 + 2*i, 16 bits; an access selects the index, as
 * QEMU's), and QEMU's extended registers at 0x600 (their size, 8, and the framebuffer byte
 * order, always little-endian here). Everything else reads 0 and ignores writes.
 */
final class VgaMmioBar implements IoDevice {
    static final int SIZE = 0x1000;
    static final int IOPORTS = 0x400, IOPORTS_END = 0x420, DISPI = 0x500, DISPI_END = 0x500 + 2 * 11, QEXT = 0x600, QEXT_END = 0x608;
    static final int QEXT_LITTLE_ENDIAN = 0x1e1e1e1e;

    private final StdVga vga;

    VgaMmioBar(StdVga vga) {
        this.vga = vga;
    }

    @Override
    public long read(long offset, int size) {
        if (offset < 0 || offset >= SIZE) return 0;
        int o = (int) offset;
        if (o >= IOPORTS && o < IOPORTS_END) {
            long v = vga.portRead(0x3c0 + o - IOPORTS);
            if (size >= 2) v |= (long) vga.portRead(0x3c0 + o - IOPORTS + 1) << 8;
            return v;
        }
        if (o >= DISPI && o < DISPI_END) {
            // as QEMU's memory core: 16-bit accesses at the offset given; a wider one is two of them
            long v = 0;
            for (int i = 0; i < size; i += 2) if (o + i < DISPI_END) v |= (long) vga.dispiRead((o + i - DISPI) >> 1) << (8 * i);
            return size >= 8 ? v : v & ((1L << (8 * size)) - 1);
        }
        if (o >= QEXT && o < QEXT_END) {
            return switch (o - QEXT) {
                case 0 -> QEXT_END - QEXT;
                case 4 -> QEXT_LITTLE_ENDIAN;
                default -> 0;
            };
        }
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset < 0 || offset >= SIZE) return;
        int o = (int) offset;
        if (o >= IOPORTS && o < IOPORTS_END) {
            vga.portWrite(0x3c0 + o - IOPORTS, (int) value & 0xff);
            if (size >= 2) vga.portWrite(0x3c0 + o - IOPORTS + 1, (int) (value >>> 8) & 0xff);
        } else if (o >= DISPI && o < DISPI_END) {
            for (int i = 0; i < size; i += 2) if (o + i < DISPI_END) vga.dispiWrite((o + i - DISPI) >> 1, (int) (value >>> (8 * i)) & 0xffff);
        }
    }
}
