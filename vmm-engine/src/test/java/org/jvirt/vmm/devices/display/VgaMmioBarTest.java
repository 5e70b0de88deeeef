package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jvirt.vmm.bus.IoDevice;
import org.junit.jupiter.api.Test;

/** BAR2 as QEMU's vga-pci.c lays it out: VGA ports at 0x400, DISPI registers at 0x500, QEMU's extension at 0x600. */
class VgaMmioBarTest {
    private final StdVga vga = new StdVga(null);
    private final IoDevice bar = vga.bar(2);

    @Test
    void dispiRegistersAreSixteenBitsEachAndAWideAccessCoversTwo() {
        assertEquals(0xB0C5, bar.read(0x500, 2));
        assertEquals(256, bar.read(0x514, 2), "VIDEO_MEMORY_64K");
        bar.write(0x502, 4, 480L << 16 | 640); // XRES and YRES in one access
        bar.write(0x506, 2, 16);
        bar.write(0x508, 2, 0x41);
        assertEquals(480L << 16 | 640, bar.read(0x502, 4));
        Frame f = vga.render();
        assertEquals(640, f.width());
        assertEquals(480, f.height());
        assertEquals(VbeRegisters.YRES, vga.vbeIndexRead(), "a DISPI access selects the index, as QEMU's (the last: YRES)");
    }

    @Test
    void vgaPortsAreMirroredAndTheExtensionTellsSizeAndByteOrder() {
        bar.write(0x402, 1, 0x67);                // misc output, at 0x3c2
        assertEquals(0x67, bar.read(0x40c, 1));   // read back at 0x3cc
        bar.write(0x414, 2, 0x3c0e);              // CRTC index 0x0e and data at 0x3d4/0x3d5 in one access
        assertEquals(0x3c0e, bar.read(0x414, 2));
        assertEquals(8, bar.read(0x600, 4));
        assertEquals(0x1e1e1e1e, bar.read(0x604, 4));
        assertEquals(0, bar.read(0x000, 4), "nothing at 0 (no EDID block)");
    }
}
