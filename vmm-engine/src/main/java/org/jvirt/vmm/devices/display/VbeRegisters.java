package org.jvirt.vmm.devices.display;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The Bochs DISPI (VBE) registers: ID (0xB0C0-0xB0C5), XRES, YRES, BPP, ENABLE (with the LFB,
 * NOCLEARMEM, 8-bit DAC and GETCAPS bits), BANK, VIRT_WIDTH/HEIGHT, X/Y_OFFSET, and the
 * read-only VIDEO_MEMORY_64K. Values the guest cannot signal errors for are adjusted to the
 * nearest valid mode as QEMU's vbe_fixup_regs does, so the line offset and start address
 * always keep the visible mode inside VRAM. Enabling a mode sets the VGA registers the
 * renderer reads (graphics mode, chain 4, CRTC geometry) and clears the visible VRAM unless
 * NOCLEARMEM is set. Callers synchronize (the owning {@link StdVga}).
 */
final class VbeRegisters {
    static final int ID = 0, XRES = 1, YRES = 2, BPP = 3, ENABLE = 4, BANK = 5, VIRT_WIDTH = 6, VIRT_HEIGHT = 7,
            X_OFFSET = 8, Y_OFFSET = 9, COUNT = 10, VIDEO_MEMORY_64K = 10;
    static final int ENABLED = 0x01, GETCAPS = 0x02, DAC_8BIT = 0x20, LFB_ENABLED = 0x40, NOCLEARMEM = 0x80;
    static final int ID0 = 0xB0C0, ID5 = 0xB0C5;
    static final int MAX_XRES = 16000, MAX_YRES = 12000, MAX_BPP = 32;

    private final VgaRegisters vga;
    private final Vram vram;
    final int[] regs = new int[COUNT];
    int index;
    /** Derived from the registers by {@link #fixup}: bytes per line and the visible start (in 4-byte units, as QEMU's). */
    int lineOffset, startAddr;
    /** Where the 64 KiB window at 0xa0000 starts in VRAM (BANK * 64 KiB). */
    int bankOffset;

    VbeRegisters(VgaRegisters vga, Vram vram) {
        this.vga = vga;
        this.vram = vram;
        reset();
    }

    void reset() {
        Arrays.fill(regs, 0);
        regs[ID] = ID5;
        index = 0;
        lineOffset = startAddr = bankOffset = 0;
    }

    boolean enabled() { return (regs[ENABLE] & ENABLED) != 0; }

    int bankMask() { return (vram.size() >> 16) - 1; }

    int readData() {
        if (index < COUNT) {
            if ((regs[ENABLE] & GETCAPS) != 0) {
                switch (index) {
                    case XRES: return MAX_XRES;
                    case YRES: return MAX_YRES;
                    case BPP: return MAX_BPP;
                    default: return regs[index];
                }
            }
            return regs[index];
        }
        if (index == VIDEO_MEMORY_64K) return vram.size() >> 16;
        return 0;
    }

    void writeData(int val) {
        val &= 0xffff;
        switch (index) {
            case ID -> {
                if (val >= ID0 && val <= ID5) regs[ID] = val;
            }
            case XRES, YRES, BPP, VIRT_WIDTH, X_OFFSET, Y_OFFSET -> {
                regs[index] = val;
                fixup();
            }
            case BANK -> {
                val &= regs[BPP] == 4 ? bankMask() >> 2 : bankMask();
                regs[BANK] = val;
                bankOffset = val << 16;
            }
            case ENABLE -> writeEnable(val);
            default -> { }
        }
    }

    private void writeEnable(int val) {
        if ((val & ENABLED) != 0 && !enabled()) {
            regs[VIRT_WIDTH] = regs[X_OFFSET] = regs[Y_OFFSET] = 0;
            regs[ENABLE] |= ENABLED;
            fixup();
            if ((val & NOCLEARMEM) == 0) Arrays.fill(vram.bytes, 0, Math.min(vram.size(), regs[YRES] * lineOffset), (byte) 0);
            programVgaForMode();
        } else {
            bankOffset = 0;
        }
        vga.dac8bit = (val & DAC_8BIT) != 0;
        regs[ENABLE] = val;
    }

    /** The VGA state a VBE mode implies (QEMU's: graphics, memory map 1, CRTC geometry, no double scan, chain 4 above 4 bpp). */
    private void programVgaForMode() {
        int[] gr = vga.gr, cr = vga.cr, sr = vga.sr;
        gr[VgaRegisters.GFX_MISC] = (gr[VgaRegisters.GFX_MISC] & ~0x0c) | 0x04 | VgaRegisters.GR06_GRAPHICS;
        cr[VgaRegisters.CRTC_MODE] |= 3;
        cr[VgaRegisters.CRTC_OFFSET] = (lineOffset >> 3) & 0xff;
        cr[VgaRegisters.CRTC_H_DISP] = ((regs[XRES] >> 3) - 1) & 0xff;
        int h = regs[YRES] - 1;
        cr[VgaRegisters.CRTC_V_DISP_END] = h & 0xff;
        cr[VgaRegisters.CRTC_OVERFLOW] = (cr[VgaRegisters.CRTC_OVERFLOW] & ~0x42) | ((h >> 7) & 0x02) | ((h >> 3) & 0x40);
        cr[VgaRegisters.CRTC_LINE_COMPARE] = 0xff;
        cr[VgaRegisters.CRTC_OVERFLOW] |= 0x10;
        cr[VgaRegisters.CRTC_MAX_SCAN] |= 0x40;
        int shiftControl;
        if (regs[BPP] == 4) {
            shiftControl = 0;
            sr[VgaRegisters.SEQ_CLOCK_MODE] &= ~8;
        } else {
            shiftControl = 2;
            sr[VgaRegisters.SEQ_MEMORY_MODE] |= VgaRegisters.SR04_CHAIN4;
            sr[VgaRegisters.SEQ_PLANE_WRITE] |= VgaRegisters.SR02_ALL_PLANES;
        }
        gr[VgaRegisters.GFX_MODE] = (gr[VgaRegisters.GFX_MODE] & ~0x60) | (shiftControl << 5);
        cr[VgaRegisters.CRTC_MAX_SCAN] &= ~0x9f;
    }

    /** Bits per pixel of the depth register as VRAM holds it (15 takes 16). */
    private int storedBits() {
        return switch (regs[BPP]) {
            case 4, 8, 16, 24, 32 -> regs[BPP];
            case 15 -> 16;
            default -> { regs[BPP] = 8; yield 8; }
        };
    }

    /** Brings the mode registers to the nearest one that fits VRAM (nothing to do while disabled). */
    void fixup() {
        if (!enabled()) return;
        int bits = storedBits();
        regs[XRES] &= ~7;
        if (regs[XRES] == 0) regs[XRES] = 8;
        if (regs[XRES] > MAX_XRES) regs[XRES] = MAX_XRES;
        regs[VIRT_WIDTH] &= ~7;
        if (regs[VIRT_WIDTH] > MAX_XRES) regs[VIRT_WIDTH] = MAX_XRES;
        if (regs[VIRT_WIDTH] < regs[XRES]) regs[VIRT_WIDTH] = regs[XRES];
        int lineLength = regs[VIRT_WIDTH] * bits / 8;
        int maxY = vram.size() / lineLength;
        if (regs[YRES] == 0) regs[YRES] = 1;
        if (regs[YRES] > MAX_YRES) regs[YRES] = MAX_YRES;
        if (regs[YRES] > maxY) regs[YRES] = maxY;
        if (regs[X_OFFSET] > MAX_XRES) regs[X_OFFSET] = MAX_XRES;
        if (regs[Y_OFFSET] > MAX_YRES) regs[Y_OFFSET] = MAX_YRES;
        long offset = (long) regs[X_OFFSET] * bits / 8 + (long) regs[Y_OFFSET] * lineLength;
        if (offset + (long) regs[YRES] * lineLength > vram.size()) {
            regs[Y_OFFSET] = 0;
            offset = (long) regs[X_OFFSET] * bits / 8;
            if (offset + (long) regs[YRES] * lineLength > vram.size()) {
                regs[X_OFFSET] = 0;
                offset = 0;
            }
        }
        regs[VIRT_HEIGHT] = maxY & 0xffff; // a 16-bit register, as QEMU stores it
        lineOffset = lineLength;
        startAddr = (int) (offset / 4);
    }

    void save(DataOutput out) throws IOException {
        out.writeShort(index);
        for (int r : regs) out.writeShort(r);
        out.writeInt(lineOffset);
        out.writeInt(startAddr);
        out.writeInt(bankOffset);
    }

    /**
     * Loads what {@link #save} wrote. A file cannot point the picture outside VRAM: an enabled
     * mode is fixed up again (which derives the line offset and start address anew), the bank
     * offset must be a bank of this VRAM; the derived values of a disabled mode are unused until
     * an enable derives them.
     */
    void load(DataInput in) throws IOException {
        index = in.readUnsignedShort();
        for (int i = 0; i < COUNT; i++) regs[i] = in.readUnsignedShort();
        int line = in.readInt(), start = in.readInt(), bank = in.readInt();
        lineOffset = Math.max(0, line);
        startAddr = Math.max(0, start);
        bankOffset = bank >= 0 && (bank & 0xffff) == 0 && (bank >>> 16) <= bankMask() ? bank : 0;
        fixup();
    }
}
