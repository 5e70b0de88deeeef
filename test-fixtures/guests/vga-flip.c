/*
 * vga-flip: a screen that changes whole, as fast as the guest can, for the VNC benchmark
 * (bench/vnc-bench.py). A 640x960x32 virtual screen is drawn once (QEMU's std VGA, Bochs VBE
 * registers), then the guest scrolls the 640x480 view through it forever (Y_OFFSET 0, 1, ...
 * 479, 0, ...): every step changes every pixel shown, at the cost of two port writes, so the VNC
 * server is the bottleneck, not the guest's drawing speed. (Flipping between two pictures
 * would not do: a server polling an even number of flips later sees nothing changed.)
 * It prints "vga-flip: flipping" when it starts.
 */
#include "rt.h"

GUEST_NAME("vga-flip");

#define VBE_INDEX 0x1ce
#define VBE_DATA 0x1cf
enum { VBE_ID, VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_BANK, VBE_VIRT_WIDTH, VBE_VIRT_HEIGHT, VBE_X_OFFSET, VBE_Y_OFFSET };

static void vbe_write(u16 index, u16 v) { outw(VBE_INDEX, index); outw(VBE_DATA, v); }

static u32 cfg_read32(int dev, int off) { outl(0xcf8, 0x80000000u | dev << 11 | (off & 0xfc)); return inl(0xcfc); }
static void cfg_write32(int dev, int off, u32 v) { outl(0xcf8, 0x80000000u | dev << 11 | (off & 0xfc)); outl(0xcfc, v); }

void guest_main(void)
{
	u64 fb = 0;
	for (int dev = 0; dev < 32 && !fb; dev++) {
		if (cfg_read32(dev, 0) != 0x11111234)
			continue;
		u32 bar = cfg_read32(dev, 0x10) & ~0xfu;
		if (!bar) {
			bar = 0xe0000000u;
			cfg_write32(dev, 0x10, bar);
		}
		cfg_write32(dev, 4, cfg_read32(dev, 4) | 3);
		fb = bar;
	}
	if (!fb)
		fail("no VGA device 1234:1111 on bus 0");
	vbe_write(VBE_ENABLE, 0);
	vbe_write(VBE_XRES, 640);
	vbe_write(VBE_YRES, 480);
	vbe_write(VBE_BPP, 32);
	vbe_write(VBE_VIRT_HEIGHT, 960);
	vbe_write(VBE_ENABLE, 0x41);
	volatile u32 *px = (volatile u32 *)fb;
	for (int y = 0; y < 960; y++)
		for (int x = 0; x < 640; x++) {
			u32 r = (x * 255) / 639, g = (y * 255) / 959, b = ((x / 4) ^ (y / 4)) * 37 & 0xff;
			px[y * 640 + x] = r << 16 | g << 8 | b;
		}
	(void)inb(0x3da);
	outb(0x3c0, 0x20); /* the attribute controller shows the picture */
	printf("vga-flip: flipping\n");
	for (u32 n = 0;; n++) {
		vbe_write(VBE_Y_OFFSET, n % 480);
		for (int i = 0; i < 1000; i++)
			cpu_relax();
	}
}
