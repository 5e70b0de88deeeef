package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The 0xa0000 window: memory maps, chain 4, odd/even and the planar latches. */
class LegacyWindowTest {
    private final Vram vram = new Vram(16 << 20);
    private final VgaRegisters vga = new VgaRegisters();
    private final VbeRegisters vbe = new VbeRegisters(vga, vram);
    private final LegacyWindow w = new LegacyWindow(vga, vbe, vram);

    @Test
    void textModeOddEvenWritesCharactersAndAttributesToPlanes0And1() {
        vga.gr[VgaRegisters.GFX_MISC] = 0x0e;  // map 3: 0xb8000
        vga.gr[VgaRegisters.GFX_MODE] = 0x10;  // odd/even
        vga.sr[VgaRegisters.SEQ_PLANE_WRITE] = 0x03;
        w.writeByte(0x18000, 'A');
        w.writeByte(0x18001, 0x1e);
        w.writeByte(0x18002, 'B');
        assertEquals('A', vram.bytes[0]);
        assertEquals(0x1e, vram.bytes[1]);
        assertEquals('B', vram.bytes[4], "the next character cell is four bytes on");
        assertEquals(0xff, w.readByte(0x00000), "0xa0000 is not mapped in map 3");
        assertEquals('B', w.readByte(0x18002));
    }

    @Test
    void planarWriteModesAndReadModes() {
        vga.gr[VgaRegisters.GFX_MISC] = 0x05;  // map 1: 0xa0000, 64 KiB
        vga.sr[VgaRegisters.SEQ_PLANE_WRITE] = 0x0f;
        // write mode 0 with set/reset on planes 0 and 2 to 1s, the data byte to planes 1 and 3
        vga.gr[VgaRegisters.GFX_SR_ENABLE] = 0x05;
        vga.gr[VgaRegisters.GFX_SR_VALUE] = 0x05;
        vga.gr[VgaRegisters.GFX_BIT_MASK] = 0xff;
        w.writeByte(0x10, 0x3c);
        assertEquals(0x3cff3cff, vram.read32(0x10));
        // read mode 0 latches all planes and returns the selected one
        vga.gr[VgaRegisters.GFX_PLANE_READ] = 1;
        assertEquals(0x3c, w.readByte(0x10));
        // write mode 1 copies the latches
        vga.gr[VgaRegisters.GFX_MODE] = 0x01;
        w.writeByte(0x20, 0);
        assertEquals(0x3cff3cff, vram.read32(0x20));
        // write mode 2: colour 0b1010 to the bits of the bit mask, XOR with the latches
        vga.gr[VgaRegisters.GFX_MODE] = 0x02;
        vga.gr[VgaRegisters.GFX_BIT_MASK] = 0x0f;
        vga.gr[VgaRegisters.GFX_DATA_ROTATE] = 3 << 3;
        w.writeByte(0x30, 0x0a);
        assertEquals(0x33ff33ff, vram.read32(0x30), "latch ^ (0xff on planes 1, 3) in the low nibble, the latch elsewhere");
        // read mode 1: colour compare over the enabled planes
        vga.gr[VgaRegisters.GFX_MODE] = 0x08;
        vga.gr[VgaRegisters.GFX_COMPARE_VALUE] = 0x05;
        vga.gr[VgaRegisters.GFX_COMPARE_MASK] = 0x0f;
        assertEquals(0xc3, w.readByte(0x10), "pixels whose colour is 0101");
    }

    @Test
    void mapMaskLimitsPlanarWrites() {
        vga.gr[VgaRegisters.GFX_BIT_MASK] = 0xff;
        vga.sr[VgaRegisters.SEQ_PLANE_WRITE] = 0x04; // plane 2 (the font plane)
        w.writeByte(0x40, 0x81);
        assertEquals(0x00810000, vram.read32(0x40));
    }

    @Test
    void chain4AndTheVbeBank() {
        vga.gr[VgaRegisters.GFX_MISC] = 0x05;
        vga.sr[VgaRegisters.SEQ_MEMORY_MODE] = VgaRegisters.SR04_CHAIN4;
        vga.sr[VgaRegisters.SEQ_PLANE_WRITE] = 0x0f;
        vbe.index = VbeRegisters.BANK;
        vbe.writeData(2);
        w.writeByte(0x1234, 0x77);
        assertEquals(0x77, vram.bytes[(2 << 16) + 0x1234]);
        assertEquals(0xff, w.readByte(0x10000), "map 1 is 64 KiB");
    }
}
