package org.jvirt.vmm.devices.display;

/**
 * Turns the adapter's state into a {@link Frame} as QEMU's vga.c draws the display, so that a
 * screendump is the same picture QEMU's is: blank while the attribute controller hides the
 * picture (and no VBE mode is on); text mode (character cells from plane 0/1, glyphs from the
 * font in plane 2 as the BIOS loaded it, 8, 9 (line-graphics characters 0xb0-0xdf repeat their
 * eighth column when ATC mode bit 2 is set) or 16 dots wide, the 16-colour palette through the
 * DAC; the cursor is not drawn: QEMU blinks it on a timer); planar 16-colour, CGA 4-colour and
 * 256-colour (mode 13h) graphics with QEMU's scan-line doubling, CGA interleave and line
 * compare; VBE 8 bpp through the DAC; VBE 16/24/32 bpp as QEMU shows them with -display
 * none (the framebuffer shared with the display, converted by pixman: 5- and 6-bit components
 * widened by repeating their top bits) and 15 bpp as its shadow surface draws it (low bits
 * zero). Every VRAM read is masked by {@link Vram}.
 */
final class VgaRenderer {
    /** QEMU's limit for text screens (CH_ATTR_SIZE); larger pictures are refused as too big to draw. */
    private static final int MAX_TEXT_CELLS = 160 * 100, MAX_PIXELS = 1 << 24;

    private final VgaRegisters vga;
    private final VbeRegisters vbe;
    private final Vram vram;
    /** The last picture's size: a blank screen keeps it, as QEMU's vga_draw_blank. */
    private int lastWidth, lastHeight;

    VgaRenderer(VgaRegisters vga, VbeRegisters vbe, Vram vram) {
        this.vga = vga;
        this.vbe = vbe;
        this.vram = vram;
    }

    void reset() {
        lastWidth = lastHeight = 0;
    }

    Frame render() {
        Frame f;
        if (!vga.displayEnabled() && !vbe.enabled()) f = blank();
        else if ((vga.gr[VgaRegisters.GFX_MISC] & VgaRegisters.GR06_GRAPHICS) == 0) f = text();
        else f = graphic();
        lastWidth = f.width();
        lastHeight = f.height();
        return f;
    }

    private Frame blank() {
        int w = lastWidth > 0 ? lastWidth : 640, h = lastHeight > 0 ? lastHeight : 480;
        return new Frame(w, h, new int[w * h]);
    }

    /** A 6-bit DAC component widened to 8 bits as QEMU's c6_to_8. */
    static int c6to8(int v) {
        v &= 0x3f;
        int b = v & 1;
        return (v << 2) | (b << 1) | b;
    }

    private int[] palette16() {
        int[] pal = new int[16];
        int[] ar = vga.ar;
        for (int i = 0; i < 16; i++) {
            int v = ar[i];
            if ((ar[VgaRegisters.ATC_MODE] & 0x80) != 0) v = ((ar[VgaRegisters.ATC_COLOR_PAGE] & 0xf) << 4) | (v & 0xf);
            else v = ((ar[VgaRegisters.ATC_COLOR_PAGE] & 0xc) << 4) | (v & 0x3f);
            v *= 3;
            byte[] p = vga.palette;
            pal[i] = c6to8(p[v]) << 16 | c6to8(p[v + 1]) << 8 | c6to8(p[v + 2]);
        }
        return pal;
    }

    private int[] palette256() {
        int[] pal = new int[256];
        byte[] p = vga.palette;
        for (int i = 0; i < 256; i++) {
            int r = p[3 * i] & 0xff, g = p[3 * i + 1] & 0xff, b = p[3 * i + 2] & 0xff;
            pal[i] = vga.dac8bit ? r << 16 | g << 8 | b : c6to8(r) << 16 | c6to8(g) << 8 | c6to8(b);
        }
        return pal;
    }

    private int lineOffset() { return vbe.enabled() ? vbe.lineOffset : vga.cr[VgaRegisters.CRTC_OFFSET] << 3; }

    private int startAddr() {
        return vbe.enabled() ? vbe.startAddr : vga.cr[VgaRegisters.CRTC_START_LO] | vga.cr[VgaRegisters.CRTC_START_HI] << 8;
    }

    private int lineCompare() {
        int[] cr = vga.cr;
        return vbe.enabled() ? 65535 : cr[VgaRegisters.CRTC_LINE_COMPARE] | (cr[VgaRegisters.CRTC_OVERFLOW] & 0x10) << 4
                | (cr[VgaRegisters.CRTC_MAX_SCAN] & 0x40) << 3;
    }

    private int verticalDisplayEnd() {
        int[] cr = vga.cr;
        return cr[VgaRegisters.CRTC_V_DISP_END] | (cr[VgaRegisters.CRTC_OVERFLOW] & 0x02) << 7 | (cr[VgaRegisters.CRTC_OVERFLOW] & 0x40) << 3;
    }

    private Frame text() {
        int[] sr = vga.sr, cr = vga.cr;
        int map = sr[VgaRegisters.SEQ_CHARACTER_MAP];
        int[] fontBase = {
            (((map >> 4) & 1) | ((map << 1) & 6)) * 8192 * 4 + 2,
            (((map >> 5) & 1) | ((map >> 1) & 6)) * 8192 * 4 + 2,
        };
        int cheight = (cr[VgaRegisters.CRTC_MAX_SCAN] & 0x1f) + 1;
        int cw = (sr[VgaRegisters.SEQ_CLOCK_MODE] & 1) != 0 ? 8 : 9;
        if ((sr[VgaRegisters.SEQ_CLOCK_MODE] & 0x08) != 0) cw = 16;
        int width = cr[VgaRegisters.CRTC_H_DISP] + 1;
        int height = cr[VgaRegisters.CRTC_V_TOTAL] == 100 ? 100 : (verticalDisplayEnd() + 1) / cheight;
        if (width * height <= 1 || width * height > MAX_TEXT_CELLS) return blank(); // QEMU leaves the old picture
        int w = width * cw, h = height * cheight;
        int[] out = new int[w * h];
        int[] pal = palette16();
        boolean lineGraphics = (vga.ar[VgaRegisters.ATC_MODE] & 0x04) != 0;
        int lineOffset = lineOffset(), lineCompare = lineCompare();
        int offset = startAddr() * 4, line = 0;
        for (int cy = 0; cy < height; cy++) {
            int src = offset;
            for (int cx = 0; cx < width; cx++, src += 4) {
                int ch = vram.read8(src), attr = vram.read8(src + 1);
                int font = fontBase[(attr >> 3) & 1] + 32 * 4 * ch;
                int bg = pal[attr >> 4], fg = pal[attr & 0x0f];
                boolean dup9 = cw == 9 && ch >= 0xb0 && ch <= 0xdf && lineGraphics;
                for (int r = 0; r < cheight; r++) {
                    int bits = vram.read8(font + 4 * r);
                    int at = (cy * cheight + r) * w + cx * cw;
                    if (cw == 16) {
                        for (int b = 0; b < 8; b++) out[at + 2 * b] = out[at + 2 * b + 1] = (bits & (0x80 >> b)) != 0 ? fg : bg;
                    } else {
                        for (int b = 0; b < 8; b++) out[at + b] = (bits & (0x80 >> b)) != 0 ? fg : bg;
                        if (cw == 9) out[at + 8] = dup9 && (bits & 1) != 0 ? fg : bg;
                    }
                }
            }
            int line1 = line + cheight;
            offset += lineOffset;
            if (line < lineCompare && line1 >= lineCompare) offset = 0;
            line = line1;
        }
        return new Frame(w, h, out);
    }

    private Frame graphic() {
        int[] cr = vga.cr, sr = vga.sr;
        int width, height;
        if (vbe.enabled()) {
            width = vbe.regs[VbeRegisters.XRES];
            height = vbe.regs[VbeRegisters.YRES];
        } else {
            width = (cr[VgaRegisters.CRTC_H_DISP] + 1) * 8;
            height = verticalDisplayEnd() + 1;
        }
        int shiftControl = (vga.gr[VgaRegisters.GFX_MODE] >> 5) & 3;
        int doubleScan = cr[VgaRegisters.CRTC_MAX_SCAN] >> 7;
        int multiScan = shiftControl != 1 ? (((cr[VgaRegisters.CRTC_MAX_SCAN] & 0x1f) + 1) << doubleScan) - 1 : doubleScan;
        int dispWidth = width;
        if (shiftControl <= 1 && (sr[VgaRegisters.SEQ_CLOCK_MODE] & 8) != 0) dispWidth <<= 1;
        if (dispWidth <= 0 || height <= 0 || (long) dispWidth * height > MAX_PIXELS) return blank();
        int depth = vbe.enabled() ? vbe.regs[VbeRegisters.BPP] : 0;
        // QEMU 7.2 with -display none shares the framebuffer with the console for 16, 24 and 32 bpp
        // (pixman converts it); 15 bpp goes through its shadow surface (vga_draw_line15_le)
        if (depth == 16 || depth == 24 || depth == 32) return shared(depth, dispWidth, height);

        int[] out = new int[dispWidth * height];
        boolean doubled = (sr[VgaRegisters.SEQ_CLOCK_MODE] & 8) != 0;
        int[] pal = shiftControl <= 1 ? palette16() : palette256();
        int planeMask = vga.ar[VgaRegisters.ATC_PLANE_ENABLE] & 0xf;
        int lineOffset = lineOffset(), lineCompare = lineCompare();
        int addr1 = startAddr() * 4, y1 = 0, multiRun = multiScan;
        int mode = cr[VgaRegisters.CRTC_MODE];
        for (int y = 0; y < height; y++) {
            int addr = addr1;
            if ((mode & 1) == 0) { // CGA: odd scan lines from the second bank
                int shift = 14 + ((mode >> 6) & 1);
                addr = (addr & ~(1 << shift)) | ((y1 & 1) << shift);
            }
            if ((mode & 2) == 0) addr = (addr & ~0x8000) | ((y1 & 2) << 14);
            int row = y * dispWidth;
            if (shiftControl == 0) drawPlanar16(out, row, dispWidth, addr, width, pal, planeMask, doubled);
            else if (shiftControl == 1) drawCga4(out, row, dispWidth, addr, width, pal, planeMask, doubled);
            else if (depth == 15) drawRgb15(out, row, dispWidth, addr, width);
            else if (depth == 8) drawBytes(out, row, dispWidth, addr, width, pal, false);
            else drawBytes(out, row, dispWidth, addr, width, pal, true);
            if (multiRun == 0) {
                int mask = (mode & 3) ^ 3;
                if ((y1 & mask) == mask) addr1 += lineOffset;
                y1++;
                multiRun = multiScan;
            } else {
                multiRun--;
            }
            if (y == lineCompare) addr1 = 0;
        }
        return new Frame(dispWidth, height, out);
    }

    private static void put(int[] out, int row, int limit, int x, int color) {
        if (x < limit) out[row + x] = color;
    }

    /** 16 colours from the four planes, bit 7 leftmost (QEMU's vga_draw_line4, doubled: line4d2). */
    private void drawPlanar16(int[] out, int row, int limit, int addr, int width, int[] pal, int planeMask, boolean doubled) {
        int x = 0;
        for (int i = 0; i < width >> 3; i++, addr += 4) {
            int[] p = new int[4];
            for (int k = 0; k < 4; k++) p[k] = (planeMask & (1 << k)) != 0 ? vram.read8(addr + k) : 0;
            for (int b = 7; b >= 0; b--) {
                int c = ((p[0] >> b) & 1) | ((p[1] >> b) & 1) << 1 | ((p[2] >> b) & 1) << 2 | ((p[3] >> b) & 1) << 3;
                put(out, row, limit, x++, pal[c]);
                if (doubled) put(out, row, limit, x++, pal[c]);
            }
        }
    }

    /** CGA 4 colours: two bits per pixel in planes 0/1, their high bits from planes 2/3 (QEMU's vga_draw_line2). */
    private void drawCga4(int[] out, int row, int limit, int addr, int width, int[] pal, int planeMask, boolean doubled) {
        int x = 0;
        for (int i = 0; i < width >> 3; i++, addr += 4) {
            int[] p = new int[4];
            for (int k = 0; k < 4; k++) p[k] = (planeMask & (1 << k)) != 0 ? vram.read8(addr + k) : 0;
            for (int half = 0; half < 2; half++) {
                int lo = p[half], hi = p[half + 2];
                for (int pair = 3; pair >= 0; pair--) {
                    int c = ((lo >> (2 * pair)) & 3) | ((hi >> (2 * pair)) & 3) << 2;
                    put(out, row, limit, x++, pal[c]);
                    if (doubled) put(out, row, limit, x++, pal[c]);
                }
            }
        }
    }

    /** One byte per pixel through the 256-colour palette; halved: four bytes per eight pixels, each shown twice (mode 13h). */
    private void drawBytes(int[] out, int row, int limit, int addr, int width, int[] pal, boolean halved) {
        int x = 0;
        for (int i = 0; i < width >> 3; i++) {
            if (halved) {
                for (int k = 0; k < 4; k++) {
                    int c = pal[vram.read8(addr + k)];
                    put(out, row, limit, x++, c);
                    put(out, row, limit, x++, c);
                }
                addr += 4;
            } else {
                for (int k = 0; k < 8; k++) put(out, row, limit, x++, pal[vram.read8(addr + k)]);
                addr += 8;
            }
        }
    }

    /** x1r5g5b5 with each component's low three bits zero (QEMU's vga_draw_line15_le). */
    private void drawRgb15(int[] out, int row, int limit, int addr, int width) {
        for (int x = 0; x < width; x++, addr += 2) {
            int v = vram.read8(addr) | vram.read8(addr + 1) << 8;
            put(out, row, limit, x, ((v >> 7) & 0xf8) << 16 | ((v >> 2) & 0xf8) << 8 | ((v << 3) & 0xf8));
        }
    }

    /** VBE direct colour as QEMU's shared surface shows it: width x height from the start address, lineOffset bytes apart. */
    private Frame shared(int depth, int width, int height) {
        int[] out = new int[width * height];
        int bytes = depth / 8;
        int base = vbe.startAddr * 4, stride = vbe.lineOffset;
        for (int y = 0; y < height; y++) {
            int a = base + y * stride;
            for (int x = 0; x < width; x++, a += bytes) {
                int rgb;
                if (bytes == 2) {
                    int v = vram.read8(a) | vram.read8(a + 1) << 8;
                    rgb = widen5(v >> 11) << 16 | widen6((v >> 5) & 0x3f) << 8 | widen5(v & 0x1f);
                } else {
                    rgb = vram.read8(a + 2) << 16 | vram.read8(a + 1) << 8 | vram.read8(a);
                }
                out[y * width + x] = rgb;
            }
        }
        return new Frame(width, height, out);
    }

    private static int widen5(int v) { return (v << 3) | (v >> 2); }

    private static int widen6(int v) { return (v << 2) | (v >> 4); }
}
