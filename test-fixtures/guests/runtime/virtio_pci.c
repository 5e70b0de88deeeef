#include "virtio_pci.h"

#define BAR_WINDOW 0xe0000000UL

static struct vpci *cur;
static u32 cfg_addr(int off) { return 0x80000000u | cur->dev << 11 | cur->fn << 8 | (off & 0xfc); }
static u32 cfg_read32(int off) { outl(0xcf8, cfg_addr(off)); return inl(0xcfc); }
static u8 cfg_read8(int off) { return cfg_read32(off) >> (8 * (off & 3)); }
static void cfg_write32(int off, u32 v) { outl(0xcf8, cfg_addr(off)); outl(0xcfc, v); }
static u64 bar_next = BAR_WINDOW;

static u64 bar_address(int bar)
{
	int off = 0x10 + 4 * bar;
	u32 lo = cfg_read32(off);
	int is64 = ((lo >> 1) & 3) == 2;
	u64 a = (lo & ~0xfUL) | (is64 ? (u64)cfg_read32(off + 4) << 32 : 0);
	if (a && a < (1UL << 32))
		return a;
	u32 cmd = cfg_read32(4);
	cfg_write32(4, cmd & ~2u);
	cfg_write32(off, 0xffffffff);
	u64 size = (~(u64)(cfg_read32(off) & ~0xfu) + 1) & 0xffffffffUL;
	a = (bar_next + size - 1) & ~(size - 1);
	bar_next = a + size;
	cfg_write32(off, (u32)a | (lo & 0xf));
	if (is64)
		cfg_write32(off + 4, 0);
	cfg_write32(4, cmd);
	return a;
}

int vpci_find(struct vpci *p, u16 device)
{
	return vpci_find_nth(p, device, 0);
}

int vpci_find_nth(struct vpci *p, u16 device, int skip)
{
	cur = p;
	for (p->dev = 0; p->dev < 32; p->dev++) {
		p->fn = 0;
		int fns = (cfg_read8(0x0e) & 0x80) ? 8 : 1;
		for (p->fn = 0; p->fn < fns; p->fn++) {
			if (cfg_read32(0) != ((u32)device << 16 | 0x1af4))
				continue;
			if (skip-- > 0)
				continue;
			int ptr = cfg_read8(0x34) & 0xfc;
			for (int n = 0; ptr && n < 48; n++) {
				if (cfg_read8(ptr) == 0x09) {
					u8 type = cfg_read8(ptr + 3), bar = cfg_read8(ptr + 4);
					u32 off = cfg_read32(ptr + 8);
					if (bar <= 5 && type >= 1 && type <= 4) {
						u64 a = bar_address(bar) + off;
						if (type == 1)
							p->common = a;
						else if (type == 2) {
							p->notify_base = a;
							p->notify_mult = cfg_read32(ptr + 16);
						} else if (type == 4)
							p->devcfg = a;
					}
				}
				ptr = cfg_read8(ptr + 1) & 0xfc;
			}
			if (!p->common || !p->notify_base || !p->devcfg)
				fail("missing virtio capability");
			cfg_write32(4, (cfg_read32(4) & 0xffff) | 0x6);
			return 1;
		}
	}
	return 0;
}

#define C8(p, o)  (*(volatile u8 *)((p)->common + (o)))
#define C16(p, o) (*(volatile u16 *)((p)->common + (o)))
#define C32(p, o) (*(volatile u32 *)((p)->common + (o)))

u32 vpci_negotiate(struct vpci *p, u32 wanted_lo)
{
	C8(p, VPCI_STATUS) = 0;
	C8(p, VPCI_STATUS) = 1;
	C8(p, VPCI_STATUS) = 3;
	C32(p, VPCI_DFSEL) = 0;
	u32 lo = C32(p, VPCI_DF);
	C32(p, VPCI_DFSEL) = 1;
	if (!(C32(p, VPCI_DF) & 1))
		fail("device does not offer VIRTIO_F_VERSION_1");
	C32(p, VPCI_GFSEL) = 0;
	C32(p, VPCI_GF) = lo & wanted_lo;
	C32(p, VPCI_GFSEL) = 1;
	C32(p, VPCI_GF) = 1;
	C8(p, VPCI_STATUS) = 0xb;
	if (!(C8(p, VPCI_STATUS) & 8))
		fail("device refused the features");
	return lo;
}

void vpci_queue(struct vpci *p, struct vq *q, int index, u64 base, u16 want)
{
	C16(p, VPCI_QSEL) = index;
	u16 max = C16(p, VPCI_QSIZE);
	if (!max)
		fail("queue %d not available", index);
	q->size = max < want ? max : want;
	q->index = index;
	q->avail_idx = q->last_used = 0;
	C16(p, VPCI_QSIZE) = q->size;
	memset((void *)base, 0, 0x3000);
	q->desc = (struct vdesc *)base;
	q->avail = (volatile u16 *)(base + 0x1000);
	q->used = (volatile u16 *)(base + 0x2000);
	C32(p, VPCI_QDESC) = (u32)base;
	C32(p, VPCI_QDESC + 4) = base >> 32;
	C32(p, VPCI_QDRIVER) = (u32)(base + 0x1000);
	C32(p, VPCI_QDRIVER + 4) = (base + 0x1000) >> 32;
	C32(p, VPCI_QDEVICE) = (u32)(base + 0x2000);
	C32(p, VPCI_QDEVICE + 4) = (base + 0x2000) >> 32;
	q->notify_off = C16(p, VPCI_QNOFF);
	C16(p, VPCI_QENABLE) = 1;
}

void vpci_ready(struct vpci *p)
{
	C8(p, VPCI_STATUS) = 0xf;
}

void vpci_submit(struct vpci *p, struct vq *q, u16 head)
{
	q->avail[2 + q->avail_idx % q->size] = head;
	barrier();
	q->avail[1] = ++q->avail_idx;
	barrier();
	*(volatile u16 *)(p->notify_base + (u64)q->notify_off * p->notify_mult) = q->index;
}

u32 vpci_wait_used(struct vq *q)
{
	u64 t0 = rdtsc();
	while (q->used[1] == q->last_used)
		if (rdtsc() - t0 > (20UL << 30))
			fail("queue %d: no completion", q->index);
	barrier();
	volatile u32 *elem = (volatile u32 *)(q->used + 2) + 2 * (q->last_used % q->size);
	q->last_used++;
	return elem[1];
}
