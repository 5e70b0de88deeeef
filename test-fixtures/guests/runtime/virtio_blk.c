/*
 * The test guests' polled virtio-blk driver (virtio_blk.h), from CPL3:
 *  - finds vendor 0x1af4 device 0x1042 (modern) or 0x1001 (transitional) on bus 0 with PCI
 *    configuration mechanism #1 (0xcf8/0xcfc);
 *  - walks the vendor capabilities (common, notify, device cfg), assigning a BAR in
 *    0xe0000000.. only if the firmware/VMM left it at 0;
 *  - one split virtqueue (queue 0) at VBLK_RING_BASE, its used ring polled.
 * Messages start with the guest's name.
 */
#include "virtio_blk.h"

#define BAR_WINDOW 0xe0000000UL
#define QSIZE_MAX 16

/* ---- PCI configuration mechanism #1 ---- */
static u32 cfg_addr(int dev, int fn, int off) { return 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc); }
static u32 cfg_read32(int dev, int fn, int off) { outl(0xcf8, cfg_addr(dev, fn, off)); return inl(0xcfc); }
static u8 cfg_read8(int dev, int fn, int off) { return cfg_read32(dev, fn, off) >> (8 * (off & 3)); }
static void cfg_write32(int dev, int fn, int off, u32 v) { outl(0xcf8, cfg_addr(dev, fn, off)); outl(0xcfc, v); }

static int pci_dev, pci_fn;
static u64 bar_next = BAR_WINDOW;

static u64 bar_address(int bar)
{
	int off = 0x10 + 4 * bar;
	u32 lo = cfg_read32(pci_dev, pci_fn, off);
	if (lo & 1)
		fail("BAR%d is an I/O BAR", bar);
	int is64 = ((lo >> 1) & 3) == 2;
	u64 a = (lo & ~0xfUL) | (is64 ? (u64)cfg_read32(pci_dev, pci_fn, off + 4) << 32 : 0);
	if (a && a < (1UL << 32))
		return a;
	/* unassigned (or above our 4 GiB identity map): size it and place it */
	u32 cmd = cfg_read32(pci_dev, pci_fn, 4);
	cfg_write32(pci_dev, pci_fn, 4, cmd & ~2u);
	cfg_write32(pci_dev, pci_fn, off, 0xffffffff);
	u64 size = (~(u64)(cfg_read32(pci_dev, pci_fn, off) & ~0xfu) + 1) & 0xffffffffUL;
	if (!size)
		fail("BAR%d has size 0", bar);
	a = (bar_next + size - 1) & ~(size - 1);
	bar_next = a + size;
	cfg_write32(pci_dev, pci_fn, off, (u32)a | (lo & 0xf));
	if (is64)
		cfg_write32(pci_dev, pci_fn, off + 4, 0);
	cfg_write32(pci_dev, pci_fn, 4, cmd);
	printf("%s: assigned BAR%d = 0x%lx (size 0x%lx)\n", guest_name, bar, a, size);
	return a;
}

static int find_device(void)
{
	for (int dev = 0; dev < 32; dev++) {
		int fns = (cfg_read8(dev, 0, 0x0e) & 0x80) ? 8 : 1;
		for (int fn = 0; fn < fns; fn++) {
			u32 id = cfg_read32(dev, fn, 0);
			if ((id & 0xffff) != 0x1af4)
				continue;
			u16 did = id >> 16;
			if (did == 0x1042 || did == 0x1001) {
				pci_dev = dev;
				pci_fn = fn;
				printf("%s: found 1af4:%x at 00:%02x.%d\n", guest_name, did, dev, fn);
				return 1;
			}
		}
	}
	return 0;
}

/* ---- virtio modern transport ---- */
static u64 common, notify_base, devcfg;
static u32 notify_mult;

#define CC8(o)  (*(volatile u8 *)(common + (o)))
#define CC16(o) (*(volatile u16 *)(common + (o)))
#define CC32(o) (*(volatile u32 *)(common + (o)))
enum { DFSEL = 0, DF = 4, GFSEL = 8, GF = 0xc, STATUS = 0x14, QSEL = 0x16, QSIZE = 0x18,
       QENABLE = 0x1c, QNOFF = 0x1e, QDESC = 0x20, QDRIVER = 0x28, QDEVICE = 0x30 };
enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8 };

static void find_caps(void)
{
	if (!(cfg_read32(pci_dev, pci_fn, 4) >> 16 & 0x10))
		fail("no PCI capability list");
	int ptr = cfg_read8(pci_dev, pci_fn, 0x34) & 0xfc;
	for (int n = 0; ptr && n < 48; n++) {
		u8 id = cfg_read8(pci_dev, pci_fn, ptr);
		if (id == 0x09) {
			u8 type = cfg_read8(pci_dev, pci_fn, ptr + 3);
			u8 bar = cfg_read8(pci_dev, pci_fn, ptr + 4);
			u32 off = cfg_read32(pci_dev, pci_fn, ptr + 8);
			if (bar <= 5 && type >= 1 && type <= 4) {
				u64 a = bar_address(bar) + off;
				if (type == 1)
					common = a;
				else if (type == 2) {
					notify_base = a;
					notify_mult = cfg_read32(pci_dev, pci_fn, ptr + 16);
				} else if (type == 4)
					devcfg = a;
			}
		}
		ptr = cfg_read8(pci_dev, pci_fn, ptr + 1) & 0xfc;
	}
	if (!common || !notify_base || !devcfg)
		fail("missing virtio capability (common 0x%lx notify 0x%lx device 0x%lx)",
		     common, notify_base, devcfg);
	/* memory decoding and bus mastering */
	cfg_write32(pci_dev, pci_fn, 4, (cfg_read32(pci_dev, pci_fn, 4) & 0xffff) | 0x6);
}

struct vring_desc { u64 addr; u32 len; u16 flags, next; };
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

static struct vring_desc *desc = (struct vring_desc *)VBLK_RING_BASE;
static volatile u16 *avail = (volatile u16 *)(VBLK_RING_BASE + 0x1000);   /* flags, idx, ring[] */
static volatile u16 *used = (volatile u16 *)(VBLK_RING_BASE + 0x2000);    /* flags, idx, {u32 id, u32 len}[] */
static u16 qsize, avail_idx, notify_off;

struct blk_req { u32 type, reserved; u64 sector; };
static struct blk_req *req = (struct blk_req *)VBLK_BUF_BASE;
static volatile u8 *req_status = (volatile u8 *)(VBLK_BUF_BASE + 0x2000);

static void write64(int off, u64 v) { CC32(off) = (u32)v; CC32(off + 4) = v >> 32; }

static void setup_device(struct vblk *dev)
{
	CC8(STATUS) = 0;
	for (int i = 0; CC8(STATUS) && i < 1000; i++)
		cpu_relax();
	CC8(STATUS) = S_ACK;
	CC8(STATUS) = S_ACK | S_DRIVER;
	CC32(DFSEL) = 0;
	u32 f_lo = CC32(DF);
	CC32(DFSEL) = 1;
	u32 f_hi = CC32(DF);
	if (!(f_hi & 1))
		fail("device does not offer VIRTIO_F_VERSION_1");
	dev->has_flush = (f_lo >> 9) & 1;
	CC32(GFSEL) = 0;
	CC32(GF) = f_lo & (1 << 9);
	CC32(GFSEL) = 1;
	CC32(GF) = 1;
	CC8(STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK;
	if (!(CC8(STATUS) & S_FEATURES_OK))
		fail("device refused the features");

	CC16(QSEL) = 0;
	u16 max = CC16(QSIZE);
	if (!max)
		fail("queue 0 not available");
	qsize = max < QSIZE_MAX ? max : QSIZE_MAX;
	CC16(QSIZE) = qsize;
	memset((void *)VBLK_RING_BASE, 0, 0x3000);
	write64(QDESC, VBLK_RING_BASE);
	write64(QDRIVER, VBLK_RING_BASE + 0x1000);
	write64(QDEVICE, VBLK_RING_BASE + 0x2000);
	notify_off = CC16(QNOFF);
	CC16(QENABLE) = 1;
	CC8(STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
	dev->capacity = *(volatile u32 *)devcfg | (u64)*(volatile u32 *)(devcfg + 4) << 32;
	dev->qsize = qsize;
}

void vblk_init(struct vblk *dev)
{
	if (!find_device())
		fail("no virtio-blk PCI device (1af4:1042 or 1af4:1001) on bus 0");
	find_caps();
	setup_device(dev);
}

u8 vblk_request(u32 type, u64 sector)
{
	req->type = type;
	req->reserved = 0;
	req->sector = sector;
	*req_status = 0xff;
	desc[0] = (struct vring_desc){ VBLK_BUF_BASE, sizeof(*req), VRING_DESC_F_NEXT, 1 };
	desc[1] = (struct vring_desc){ (u64)vblk_data, 512, VRING_DESC_F_NEXT | (type == VBLK_T_IN ? VRING_DESC_F_WRITE : 0), 2 };
	desc[2] = (struct vring_desc){ (u64)req_status, 1, VRING_DESC_F_WRITE, 0 };
	if (type == VBLK_T_FLUSH)
		desc[0].next = 2;
	avail[2 + avail_idx % qsize] = 0;
	barrier();
	avail[1] = ++avail_idx;
	barrier();
	*(volatile u16 *)(notify_base + (u64)notify_off * notify_mult) = 0;
	u64 t0 = rdtsc();
	while (used[1] != avail_idx)
		if (rdtsc() - t0 > (10UL << 30))
			fail("request type %u sector %lu: no completion", type, sector);
	barrier();
	return *req_status;
}
