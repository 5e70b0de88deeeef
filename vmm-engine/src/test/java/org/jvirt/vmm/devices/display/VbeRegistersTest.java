package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Bochs DISPI registers as QEMU's vbe_ioport_read/write_data keep them. */
class VbeRegistersTest {
    private final Vram vram = new Vram(16 << 20);
    private final VgaRegisters vga = new VgaRegisters();
    private final VbeRegisters vbe = new VbeRegisters(vga, vram);

    private void write(int index, int value) { vbe.index = index; vbe.writeData(value); }
    private int read(int index) { vbe.index = index; return vbe.readData(); }

    @Test
    void idAndMemorySize() {
        assertEquals(0xB0C5, read(VbeRegisters.ID));
        write(VbeRegisters.ID, 0xB0C2);
        assertEquals(0xB0C2, read(VbeRegisters.ID));
        write(VbeRegisters.ID, 0x1234); // not an interface version: ignored
        assertEquals(0xB0C2, read(VbeRegisters.ID));
        assertEquals(256, read(VbeRegisters.VIDEO_MEMORY_64K)); // 16 MiB
        assertEquals(0, read(0x55));
    }

    @Test
    void getcapsReportsTheLimits() {
        write(VbeRegisters.ENABLE, VbeRegisters.GETCAPS);
        assertEquals(16000, read(VbeRegisters.XRES));
        assertEquals(12000, read(VbeRegisters.YRES));
        assertEquals(32, read(VbeRegisters.BPP));
    }

    @Test
    void enablingAModeProgramsTheVgaAndClearsTheScreen() {
        vram.bytes[5] = 7;
        vram.bytes[640 * 480 * 4 + 1] = 9; // past the visible picture: kept
        write(VbeRegisters.XRES, 640);
        write(VbeRegisters.YRES, 480);
        write(VbeRegisters.BPP, 32);
        write(VbeRegisters.ENABLE, VbeRegisters.ENABLED | VbeRegisters.LFB_ENABLED);
        assertEquals(640 * 4, vbe.lineOffset);
        assertEquals(0, vbe.startAddr);
        assertEquals(0, vram.bytes[5]);
        assertEquals(9, vram.bytes[640 * 480 * 4 + 1]);
        assertEquals(640, read(VbeRegisters.VIRT_WIDTH));
        assertEquals((16 << 20) / (640 * 4), read(VbeRegisters.VIRT_HEIGHT));
        assertEquals(0x05, vga.gr[VgaRegisters.GFX_MISC] & 0x0d, "graphics, memory map 1 (0xa0000, 64 KiB)");
        assertEquals(2 << 5, vga.gr[VgaRegisters.GFX_MODE] & 0x60, "256-colour shift mode");
        assertEquals(VgaRegisters.SR04_CHAIN4, vga.sr[VgaRegisters.SEQ_MEMORY_MODE] & VgaRegisters.SR04_CHAIN4);
        assertEquals(640 / 8 - 1, vga.cr[VgaRegisters.CRTC_H_DISP]);
    }

    @Test
    void noClearMemKeepsTheFramebuffer() {
        vram.bytes[5] = 7;
        write(VbeRegisters.XRES, 640);
        write(VbeRegisters.YRES, 480);
        write(VbeRegisters.BPP, 8);
        write(VbeRegisters.ENABLE, VbeRegisters.ENABLED | VbeRegisters.NOCLEARMEM);
        assertEquals(7, vram.bytes[5]);
    }

    @Test
    void impossibleModesAreBroughtIntoVram() {
        write(VbeRegisters.ENABLE, VbeRegisters.ENABLED);
        write(VbeRegisters.BPP, 13);
        assertEquals(8, read(VbeRegisters.BPP), "an unknown depth becomes 8");
        write(VbeRegisters.XRES, 1027);
        assertEquals(1024, read(VbeRegisters.XRES), "widths are multiples of 8");
        write(VbeRegisters.XRES, 0);
        assertEquals(8, read(VbeRegisters.XRES));
        write(VbeRegisters.BPP, 32);
        write(VbeRegisters.XRES, 16000);
        write(VbeRegisters.YRES, 12000);
        assertEquals((16 << 20) / (16000 * 4), read(VbeRegisters.YRES), "as many lines as VRAM holds");
        write(VbeRegisters.Y_OFFSET, 60000);
        assertEquals(0, read(VbeRegisters.Y_OFFSET), "an offset that pushes the picture out of VRAM is dropped");
        assertEquals(0, vbe.startAddr);
        write(VbeRegisters.YRES, 100);
        write(VbeRegisters.Y_OFFSET, 3);
        write(VbeRegisters.X_OFFSET, 8);
        assertEquals((3 * 16000 * 4 + 8 * 4) / 4, vbe.startAddr);
    }

    @Test
    void bankIsMaskedToVram() {
        write(VbeRegisters.BANK, 0xffff);
        assertEquals(255, read(VbeRegisters.BANK));
        assertEquals(255 << 16, vbe.bankOffset);
        write(VbeRegisters.BPP, 4);
        write(VbeRegisters.BANK, 0xffff);
        assertEquals(63, read(VbeRegisters.BANK), "4 bpp: a quarter of the banks");
    }

    @Test
    void disablingDropsTheBankAndSetsTheDacWidth() {
        write(VbeRegisters.BANK, 3);
        write(VbeRegisters.ENABLE, VbeRegisters.DAC_8BIT);
        assertEquals(0, vbe.bankOffset);
        assertEquals(true, vga.dac8bit);
    }
}
