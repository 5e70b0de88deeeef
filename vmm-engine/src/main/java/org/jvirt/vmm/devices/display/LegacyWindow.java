package org.jvirt.vmm.devices.display;

/**
 * The VGA memory window at 0xa0000-0xbffff as the graphics controller maps it (GR6 memory map:
 * 128 KiB at 0xa0000, 64 KiB at 0xa0000 plus the VBE bank, 32 KiB at 0xb0000 or 0xb8000) onto
 * VRAM: chain 4 (byte addressing), odd/even (text: even addresses to planes 0/2, odd to 1/3),
 * or planar with the latches, read modes 0/1, write modes 0-3, rotate, set/reset, the logical
 * function and the bit mask, as QEMU's vga_mem_readb/writeb. Accesses wider than a byte are
 * split. Offsets are relative to 0xa0000; VRAM indexes are masked by {@link Vram}.
 */
final class LegacyWindow {
    static final long BASE = 0xa0000, LENGTH = 0x20000;

    private final VgaRegisters vga;
    private final VbeRegisters vbe;
    private final Vram vram;

    LegacyWindow(VgaRegisters vga, VbeRegisters vbe, Vram vram) {
        this.vga = vga;
        this.vbe = vbe;
        this.vram = vram;
    }

    /** The VGA memory offset of window offset addr, or -1 when the memory map leaves it unmapped. */
    private int translate(int addr) {
        addr &= 0x1ffff;
        switch ((vga.gr[VgaRegisters.GFX_MISC] >> 2) & 3) {
            case 0: return addr;
            case 1: return addr >= 0x10000 ? -1 : addr + vbe.bankOffset;
            case 2: addr -= 0x10000; return addr < 0 || addr >= 0x8000 ? -1 : addr;
            default: addr -= 0x18000; return addr < 0 || addr >= 0x8000 ? -1 : addr;
        }
    }

    /** Each plane's byte as one of four lanes: lanes 0-3 from bits 0-3 of m (QEMU's mask16). */
    private static int lanes(int m) {
        return ((m & 1) != 0 ? 0xff : 0) | ((m & 2) != 0 ? 0xff00 : 0) | ((m & 4) != 0 ? 0xff0000 : 0) | ((m & 8) != 0 ? 0xff000000 : 0);
    }

    int readByte(int offset) {
        int addr = translate(offset);
        if (addr < 0) return 0xff;
        int[] gr = vga.gr;
        if ((vga.sr[VgaRegisters.SEQ_MEMORY_MODE] & VgaRegisters.SR04_CHAIN4) != 0) return vram.read8(addr);
        if ((gr[VgaRegisters.GFX_MODE] & 0x10) != 0) {
            int plane = (gr[VgaRegisters.GFX_PLANE_READ] & 2) | (addr & 1);
            return vram.read8(((addr & ~1) << 1) | plane);
        }
        vga.latch = vram.read32(addr);
        if ((gr[VgaRegisters.GFX_MODE] & 0x08) == 0) return (vga.latch >>> (8 * (gr[VgaRegisters.GFX_PLANE_READ] & 3))) & 0xff;
        int r = (vga.latch ^ lanes(gr[VgaRegisters.GFX_COMPARE_VALUE])) & lanes(gr[VgaRegisters.GFX_COMPARE_MASK]);
        r |= r >>> 16;
        r |= r >>> 8;
        return ~r & 0xff;
    }

    void writeByte(int offset, int val) {
        int addr = translate(offset);
        if (addr < 0) return;
        val &= 0xff;
        int[] gr = vga.gr, sr = vga.sr;
        if ((sr[VgaRegisters.SEQ_MEMORY_MODE] & VgaRegisters.SR04_CHAIN4) != 0) {
            if ((sr[VgaRegisters.SEQ_PLANE_WRITE] & (1 << (addr & 3))) != 0) vram.write8(addr, val);
            return;
        }
        if ((gr[VgaRegisters.GFX_MODE] & 0x10) != 0) {
            int plane = (gr[VgaRegisters.GFX_PLANE_READ] & 2) | (addr & 1);
            if ((sr[VgaRegisters.SEQ_PLANE_WRITE] & (1 << plane)) != 0) vram.write8(((addr & ~1) << 1) | plane, val);
            return;
        }
        int latch = vga.latch;
        int v, bitMask;
        int rotate = gr[VgaRegisters.GFX_DATA_ROTATE] & 7;
        switch (gr[VgaRegisters.GFX_MODE] & 3) {
            case 1 -> {
                writePlanes(addr, latch);
                return;
            }
            case 2 -> {
                v = lanes(val & 0x0f);
                bitMask = gr[VgaRegisters.GFX_BIT_MASK];
            }
            case 3 -> {
                int r = ((val >>> rotate) | (val << (8 - rotate))) & 0xff;
                bitMask = gr[VgaRegisters.GFX_BIT_MASK] & r;
                v = lanes(gr[VgaRegisters.GFX_SR_VALUE]);
            }
            default -> {
                int r = ((val >>> rotate) | (val << (8 - rotate))) & 0xff;
                v = r | r << 8 | r << 16 | r << 24;
                int setMask = lanes(gr[VgaRegisters.GFX_SR_ENABLE]);
                v = (v & ~setMask) | (lanes(gr[VgaRegisters.GFX_SR_VALUE]) & setMask);
                bitMask = gr[VgaRegisters.GFX_BIT_MASK];
            }
        }
        switch (gr[VgaRegisters.GFX_DATA_ROTATE] >> 3) {
            case 1 -> v &= latch;
            case 2 -> v |= latch;
            case 3 -> v ^= latch;
            default -> { }
        }
        bitMask &= 0xff;
        bitMask |= bitMask << 8;
        bitMask |= bitMask << 16;
        writePlanes(addr, (v & bitMask) | (latch & ~bitMask));
    }

    /** The four planes' bytes at addr, each only where the map mask (SR2) enables its plane. */
    private void writePlanes(int addr, int v) {
        int writeMask = lanes(vga.sr[VgaRegisters.SEQ_PLANE_WRITE]);
        vram.write32(addr, (vram.read32(addr) & ~writeMask) | (v & writeMask));
    }
}
