/*
 * vga: draws a known picture on QEMU's std VGA (1234:1111) without any VGA BIOS, so that
 * the host's screendump can be compared with QEMU's pixel for pixel. vga=N on the command
 * line picks the picture:
 *   1  VBE 640x480x32, 2  VBE 800x600x16, 3  VBE 320x200x8 (palette set through the DAC),
 *   4  VBE 640x480x24, 5  VBE 640x480x15: set through the Bochs ports 0x1ce/0x1cf, drawn
 *      in the linear framebuffer (BAR0);
 *   6  VBE 640x480x32 panned in an 800-pixel-wide virtual screen (X_OFFSET 16, Y_OFFSET 8),
 *   7  VBE 320x200x8 with the 8-bit DAC (ENABLE bit 0x20);
 *   8  VBE 640x480x4 (planar: the attribute palette and plane enable set here, bytes written
 *      through the framebuffer land in plane (address & 3));
 *   10 text 80x25 (9-dot cells, 16 scan lines): the registers of mode 3 programmed here, a
 *      synthetic font written to plane 2 through the planar write path, characters and
 *      attributes written to 0xb8000, the cursor switched off (CR0A bit 5);
 *   12 mode 12h (640x480, 16 colours, planar) drawn plane by plane through the map mask;
 *   13 mode 13h (320x200, 256 colours, chain 4) drawn at 0xa0000.
 * It prints "vga: drawn" and waits (halted) for the host to take its screendump.
 */
#include "rt.h"

GUEST_NAME("vga");

#define VBE_INDEX 0x1ce
#define VBE_DATA 0x1cf
enum { VBE_ID, VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_BANK, VBE_VIRT_WIDTH, VBE_VIRT_HEIGHT, VBE_X_OFFSET, VBE_Y_OFFSET, VBE_MEM64K };

static void vbe_write(u16 index, u16 v) { outw(VBE_INDEX, index); outw(VBE_DATA, v); }
static u16 vbe_read(u16 index) { outw(VBE_INDEX, index); return inw(VBE_DATA); }

static u32 cfg_addr(int dev, int off) { return 0x80000000u | dev << 11 | (off & 0xfc); }
static u32 cfg_read32(int dev, int off) { outl(0xcf8, cfg_addr(dev, off)); return inl(0xcfc); }
static void cfg_write32(int dev, int off, u32 v) { outl(0xcf8, cfg_addr(dev, off)); outl(0xcfc, v); }

/* The VGA's framebuffer address: BAR0 as firmware left it, or placed at 0xe0000000 here. */
static u64 framebuffer(void)
{
	for (int dev = 0; dev < 32; dev++) {
		if (cfg_read32(dev, 0) != 0x11111234)
			continue;
		u32 bar = cfg_read32(dev, 0x10) & ~0xfu;
		if (!bar) {
			bar = 0xe0000000u;
			cfg_write32(dev, 0x10, bar);
		}
		cfg_write32(dev, 4, cfg_read32(dev, 4) | 3); /* I/O and memory decoding */
		printf("vga: device at 00:%02x.0, framebuffer 0x%x\n", dev, bar);
		return bar;
	}
	fail("no VGA device 1234:1111 on bus 0");
}

/* The attribute controller shows the picture (its index's PAS bit), as the VGA BIOS leaves it. */
static void display_on(void)
{
	(void)inb(0x3da);
	outb(0x3c0, 0x20);
}

static void set_vbe_flags(u16 w, u16 h, u16 bpp, u16 flags)
{
	u16 id = vbe_read(VBE_ID);
	if (id < 0xb0c0 || id > 0xb0c5)
		fail("Bochs VBE ID 0x%x", id);
	vbe_write(VBE_ENABLE, 0);
	vbe_write(VBE_XRES, w);
	vbe_write(VBE_YRES, h);
	vbe_write(VBE_BPP, bpp);
	vbe_write(VBE_ENABLE, 0x41 | flags); /* enabled, linear framebuffer */
	if (vbe_read(VBE_XRES) != w || vbe_read(VBE_YRES) != h || vbe_read(VBE_BPP) != bpp)
		fail("mode %dx%dx%d not taken", w, h, bpp);
	printf("vga: VBE %dx%dx%d, %d KiB of VRAM\n", w, h, bpp, vbe_read(VBE_MEM64K) * 64);
}

static void set_vbe(u16 w, u16 h, u16 bpp) { set_vbe_flags(w, h, bpp, 0); }

/* A colour per pixel with every component bit used: gradients, stripes and a box. */
static void rgb_at(int x, int y, int w, int h, u32 *r, u32 *g, u32 *b)
{
	*r = (x * 255) / (w - 1);
	*g = (y * 255) / (h - 1);
	*b = ((x / 8) ^ (y / 8)) & 1 ? 0xff : (x + y) & 0xff;
	if (x > w / 4 && x < w / 2 && y > h / 4 && y < h / 2)
		*r = *g = *b = 0xff - ((x * 7 + y * 3) & 0x3f);
}

static void draw_direct(u64 fb, int w, int h, int bpp)
{
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			u32 r, g, b;
			rgb_at(x, y, w, h, &r, &g, &b);
			if (bpp == 32) {
				((volatile u32 *)fb)[y * w + x] = r << 16 | g << 8 | b;
			} else if (bpp == 24) {
				volatile u8 *p = (volatile u8 *)fb + 3 * (y * w + x);
				p[0] = b; p[1] = g; p[2] = r;
			} else if (bpp == 16) {
				((volatile u16 *)fb)[y * w + x] = (r >> 3) << 11 | (g >> 2) << 5 | b >> 3;
			} else {
				((volatile u16 *)fb)[y * w + x] = (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
			}
		}
}

/* 256 DAC entries (6-bit components): a colour cube and a grey ramp. */
static void set_palette(void)
{
	outb(0x3c8, 0);
	for (int i = 0; i < 256; i++) {
		outb(0x3c9, i < 216 ? (i % 6) * 12 + 3 : (i - 216) * 63 / 39);
		outb(0x3c9, i < 216 ? (i / 6 % 6) * 12 : (i - 216) * 63 / 39);
		outb(0x3c9, i < 216 ? (i / 36) * 12 + 1 : (i - 216) * 63 / 39);
	}
}

/* 256 DAC entries with 8-bit components (the 8-bit DAC mode). */
static void set_palette8(void)
{
	outb(0x3c8, 0);
	for (int i = 0; i < 256; i++) {
		outb(0x3c9, i);
		outb(0x3c9, 255 - i);
		outb(0x3c9, (i * 37) & 0xff);
	}
}

static void draw_planar_vbe(volatile u8 *fb)
{
	(void)inb(0x3da);
	for (int i = 0; i < 16; i++) { outb(0x3c0, i); outb(0x3c0, i); }
	outb(0x3c0, 0x10); outb(0x3c0, 0x01); /* graphics */
	outb(0x3c0, 0x12); outb(0x3c0, 0x0f); /* all four planes shown */
	outb(0x3c0, 0x14); outb(0x3c0, 0x00);
	outb(0x3c8, 0);
	for (int i = 0; i < 16; i++) { outb(0x3c9, i * 4); outb(0x3c9, 63 - i * 4); outb(0x3c9, (i * 23) & 63); }
	for (int a = 0; a < 320 * 480; a++)
		fb[a] = (u8)(((u32)a * 2654435761u) >> 13) & (a / 1280 % 3 ? 0xff : 0x0f);
}

static void draw_panned(u64 fb)
{
	vbe_write(VBE_VIRT_WIDTH, 800);
	vbe_write(VBE_X_OFFSET, 16);
	vbe_write(VBE_Y_OFFSET, 8);
	if (vbe_read(VBE_VIRT_WIDTH) != 800 || vbe_read(VBE_X_OFFSET) != 16)
		fail("virtual width/offset not taken");
	for (int y = 0; y < 600; y++)
		for (int x = 0; x < 800; x++) {
			u32 r, g, b;
			rgb_at(x, y, 800, 600, &r, &g, &b);
			((volatile u32 *)fb)[y * 800 + x] = r << 16 | g << 8 | b;
		}
}

static void draw_indexed(volatile u8 *fb, int w, int h)
{
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			fb[y * w + x] = (u8)((x / 4 + y / 4 * 7) ^ (x * y / 64));
}

/* Mode 3's registers as the IBM VGA tables give them (misc output 0x67: colour, 28 MHz). */
static const u8 seq3[5] = {0x03, 0x00, 0x03, 0x00, 0x02};
static const u8 crtc3[25] = {0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x2d, 0x0e, 0x00, 0x00, 0x00, 0x00,
			     0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff};
static const u8 gfx3[9] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff};
static const u8 attr3[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
			     0x0c, 0x00, 0x0f, 0x08, 0x00};
/* The EGA 64-colour DAC entries the attribute values above select. */
static void set_ega_palette(void)
{
	outb(0x3c8, 0);
	for (int i = 0; i < 64; i++) {
		int r = ((i >> 2) & 1) * 42 + ((i >> 5) & 1) * 21;
		int g = ((i >> 1) & 1) * 42 + ((i >> 4) & 1) * 21;
		int b = (i & 1) * 42 + ((i >> 3) & 1) * 21;
		outb(0x3c9, r); outb(0x3c9, g); outb(0x3c9, b);
	}
}

static void set_regs(u8 misc, const u8 *seq, const u8 *crtc, const u8 *gfx, const u8 *attr)
{
	outb(0x3c2, misc);
	for (int i = 0; i < 5; i++) { outb(0x3c4, i); outb(0x3c5, seq[i]); }
	outb(0x3d4, 0x11); outb(0x3d5, crtc[0x11] & 0x7f); /* unlock CR0-7 */
	for (int i = 0; i < 25; i++) { outb(0x3d4, i); outb(0x3d5, i == 0x11 ? crtc[i] & 0x7f : crtc[i]); }
	for (int i = 0; i < 9; i++) { outb(0x3ce, i); outb(0x3cf, gfx[i]); }
	(void)inb(0x3da);
	for (int i = 0; i < 21; i++) { outb(0x3c0, i); outb(0x3c0, attr[i]); }
}

/* A glyph for every character: its code's bits as a pattern, with a frame on line 0 and 15. */
static u8 glyph_row(int ch, int row)
{
	if (row == 0 || row == 15)
		return 0xff;
	if (ch >= 0xb0 && ch <= 0xdf)
		return row & 1 ? 0x81 : 0x7f;   /* line graphics: the 9th column repeats bit 0 */
	u8 v = (u8)(ch ^ (row * 0x11));
	return (u8)(v << (row & 3) | v >> (8 - (row & 3)));
}

static void load_font(void)
{
	/* plane 2 alone, sequential addressing, write mode 0, memory at 0xa0000 */
	outb(0x3c4, 2); outb(0x3c5, 0x04);
	outb(0x3c4, 4); outb(0x3c5, 0x06);
	outb(0x3ce, 4); outb(0x3cf, 0x02);
	outb(0x3ce, 5); outb(0x3cf, 0x00);
	outb(0x3ce, 6); outb(0x3cf, 0x04);
	volatile u8 *plane = (volatile u8 *)0xa0000;
	for (int ch = 0; ch < 256; ch++)
		for (int row = 0; row < 32; row++)
			plane[ch * 32 + row] = row < 16 ? glyph_row(ch, row) : 0;
	/* back to text: planes 0/1, odd/even, memory at 0xb8000 */
	outb(0x3c4, 2); outb(0x3c5, 0x03);
	outb(0x3c4, 4); outb(0x3c5, 0x02);
	outb(0x3ce, 4); outb(0x3cf, 0x00);
	outb(0x3ce, 5); outb(0x3cf, 0x10);
	outb(0x3ce, 6); outb(0x3cf, 0x0e);
}

static void draw_text(void)
{
	set_regs(0x67, seq3, crtc3, gfx3, attr3);
	set_ega_palette();
	load_font();
	outb(0x3d4, 0x0a); outb(0x3d5, 0x20); /* cursor off */
	volatile u16 *text = (volatile u16 *)0xb8000;
	const char *hello = "jvirt std VGA text mode: 80x25, 9-dot cells, attributes 00-FF";
	for (int i = 0; i < 80 * 25; i++)
		text[i] = (u16)((i & 0xff) | ((i * 7 + i / 80) & 0xff) << 8);
	for (int i = 0; hello[i]; i++)
		text[80 * 12 + 10 + i] = (u16)(hello[i] | 0x1e << 8);
	display_on();
}

static const u8 seq12[5] = {0x03, 0x01, 0x0f, 0x00, 0x06};
static const u8 crtc12[25] = {0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0b, 0x3e, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			      0xea, 0x8c, 0xdf, 0x28, 0x00, 0xe7, 0x04, 0xe3, 0xff};
static const u8 gfx12[9] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0f, 0xff};
static const u8 attr12[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
			      0x01, 0x00, 0x0f, 0x00, 0x00};

static void draw_mode12(void)
{
	set_regs(0xe3, seq12, crtc12, gfx12, attr12);
	set_ega_palette();
	volatile u8 *win = (volatile u8 *)0xa0000;
	for (int p = 0; p < 4; p++) {
		outb(0x3c4, 2); outb(0x3c5, 1 << p);
		for (int y = 0; y < 480; y++)
			for (int xb = 0; xb < 80; xb++)
				win[y * 80 + xb] = (u8)((xb * (p + 1) + y / (p + 1)) ^ (y * 3 >> p));
	}
	outb(0x3c4, 2); outb(0x3c5, 0x0f);
	display_on();
}

static const u8 seq13[5] = {0x03, 0x01, 0x0f, 0x00, 0x0e};
static const u8 crtc13[25] = {0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			      0x9c, 0x8e, 0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff};
static const u8 gfx13[9] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff};
static const u8 attr13[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
			      0x41, 0x00, 0x0f, 0x00, 0x00};

static void draw_mode13(void)
{
	set_regs(0x63, seq13, crtc13, gfx13, attr13);
	set_palette();
	draw_indexed((volatile u8 *)0xa0000, 320, 200);
	display_on();
}

void guest_main(void)
{
	int mode = (int)cmdline_number("vga", 1);
	u64 fb = framebuffer();
	switch (mode) {
	case 1: set_vbe(640, 480, 32); draw_direct(fb, 640, 480, 32); break;
	case 2: set_vbe(800, 600, 16); draw_direct(fb, 800, 600, 16); break;
	case 3: set_vbe(320, 200, 8); set_palette(); draw_indexed((volatile u8 *)fb, 320, 200); break;
	case 4: set_vbe(640, 480, 24); draw_direct(fb, 640, 480, 24); break;
	case 5: set_vbe(640, 480, 15); draw_direct(fb, 640, 480, 15); break;
	case 6: set_vbe(640, 480, 32); draw_panned(fb); break;
	case 7: set_vbe_flags(320, 200, 8, 0x20); set_palette8(); draw_indexed((volatile u8 *)fb, 320, 200); break;
	case 8: set_vbe(640, 480, 4); draw_planar_vbe((volatile u8 *)fb); break;
	case 10: draw_text(); break;
	case 12: draw_mode12(); break;
	case 13: draw_mode13(); break;
	default: fail("unknown vga=%d", mode);
	}
	if (mode < 10)
		display_on();
	printf("vga: drawn\n");
	for (;;)
		__asm__ volatile("pause");
}
