/*
 * virtio-balloon: finds the virtio-balloon PCI function (1af4:1045, QEMU's virtio-balloon-pci
 * with disable-legacy=on) and drives it as a polled balloon driver, printing on COM1 what it
 * sees so that two VMMs can be compared line by line:
 *  - the function's PCI identity, the device feature bits it offers (0-5), the three queues'
 *    sizes, the configuration bytes 0-23 (past the end too), what sticks of writes to num_pages
 *    and poison_val;
 *  - its statistics buffer (tags 0-9, one unknown tag 10), posted after DRIVER_OK;
 *  - then ADJUSTS times: waits for num_pages to differ from the pages it holds, inflates (page
 *    frames from 16 MiB up, 256 a chain, plus a frame outside RAM in the first chain, which the
 *    device skips) or deflates to it, writes actual and prints both;
 *  - between two adjustments, once: waits for the device to hand the statistics buffer back
 *    (the host set a polling interval), prints its used length and posts round 2 of its
 *    statistics (it then leaves the stats queue alone: the host turns the polling off);
 *  - a last target change (not followed) ends it, with the configuration printed.
 * Memory: queues at 0x400000, 0x404000, 0x408000; frame lists at 0x410000; statistics at 0x418000.
 */
#include "rt.h"
#include "virtio_pci.h"

GUEST_NAME("virtio-balloon");

#define F_STATS_VQ (1u << 1)
#define F_PAGE_POISON (1u << 4)
#define FIRST_PFN 0x1000u   /* 16 MiB: the frames the guest gives are above its image and queues */
#define OUTSIDE_PFN 0xfffffu /* 4 GiB - 4 KiB: not RAM (the firmware's ROM on QEMU) */
#define PER_CHAIN 256
#define ADJUSTS 3
#define NTAGS 11

static struct vpci p;
static struct vq inflate_q, deflate_q, stats_q;
static u32 held; /* frames in the balloon */

#define CFG8(o) (*(volatile u8 *)(p.devcfg + (o)))
#define CFG32(o) (*(volatile u32 *)(p.devcfg + (o)))

struct stat { u16 tag; u64 val; } __attribute__((packed));

static u32 pci_read32(int off)
{
	outl(0xcf8, 0x80000000u | p.dev << 11 | p.fn << 8 | (off & 0xfc));
	return inl(0xcfc);
}

static void post_stats(u32 round)
{
	struct stat *s = (struct stat *)0x418000UL;
	for (int i = 0; i < NTAGS; i++) {
		s[i].tag = i;
		s[i].val = (u64)round << 32 | (u64)(i + 1) << 20 | 0x123;
	}
	stats_q.desc[0].addr = 0x418000UL;
	stats_q.desc[0].len = NTAGS * sizeof(struct stat);
	stats_q.desc[0].flags = 0;
	vpci_submit(&p, &stats_q, 0);
	printf("virtio-balloon: stats round %u posted\n", round);
}

/* Sends n frame numbers starting at first (plus the frame outside RAM when extra) on q. */
static void send_frames(struct vq *q, u32 first, u32 n, int extra)
{
	volatile u32 *list = (volatile u32 *)0x410000UL;
	u32 k = 0;
	for (u32 i = 0; i < n; i++)
		list[k++] = first + i;
	if (extra)
		list[k++] = OUTSIDE_PFN;
	q->desc[0].addr = 0x410000UL;
	q->desc[0].len = 4 * k;
	q->desc[0].flags = 0;
	vpci_submit(&p, q, 0);
	u32 len = vpci_wait_used(q);
	if (len)
		fail("a frame list came back with %u bytes written", len);
}

static void adjust(u32 want)
{
	u32 in = 0, out = 0;
	int first = 1;
	while (held < want) {
		u32 n = want - held < PER_CHAIN ? want - held : PER_CHAIN;
		send_frames(&inflate_q, FIRST_PFN + held, n, first);
		first = 0;
		held += n;
		in += n;
	}
	while (held > want) {
		u32 n = held - want < PER_CHAIN ? held - want : PER_CHAIN;
		held -= n;
		send_frames(&deflate_q, FIRST_PFN + held, n, 0);
		out += n;
	}
	CFG32(4) = held;
	printf("virtio-balloon: num_pages %u: inflated %u deflated %u, actual %u\n", CFG32(0), in, out, CFG32(4));
}

/* Waits for the host: num_pages different from what the guest holds (1), or the stats buffer back (2). */
static int wait_host(int want_stats)
{
	u64 t0 = rdtsc();
	for (;;) {
		if (CFG32(0) != held)
			return 1;
		if (want_stats && stats_q.used[1] != stats_q.last_used)
			return 2;
		if (rdtsc() - t0 > (200UL << 30))
			fail("the host did nothing");
		cpu_relax();
	}
}

void guest_main(void)
{
	if (!vpci_find(&p, 0x1045))
		fail("no virtio-balloon function (1af4:1045)");
	printf("virtio-balloon: %02x.%x id %x class/rev %x subsystem %x\n", p.dev, p.fn, pci_read32(0), pci_read32(8), pci_read32(0x2c));
	u32 offered = vpci_negotiate(&p, F_STATS_VQ | F_PAGE_POISON);
	printf("virtio-balloon: device features %x\n", offered & 0x3f);
	vpci_queue(&p, &inflate_q, 0, 0x400000UL, 128);
	vpci_queue(&p, &deflate_q, 1, 0x404000UL, 128);
	vpci_queue(&p, &stats_q, 2, 0x408000UL, 128);
	printf("virtio-balloon: queue sizes %u %u %u\n", inflate_q.size, deflate_q.size, stats_q.size);
	printf("virtio-balloon: config");
	for (int o = 0; o < 24; o++)
		printf(" %02x", CFG8(o));
	printf("\n");
	CFG32(0) = 77;
	CFG32(12) = 0xaa;
	printf("virtio-balloon: after writes num_pages %u poison_val %x\n", CFG32(0), CFG32(12));
	vpci_ready(&p);
	post_stats(1);
	printf("virtio-balloon: ready\n");
	int stats_seen = 0;
	for (int n = 0; n < ADJUSTS;) {
		int what = wait_host(!stats_seen);
		if (what == 1) {
			adjust(CFG32(0));
			n++;
		} else {
			u32 len = vpci_wait_used(&stats_q);
			printf("virtio-balloon: stats buffer back, %u bytes written\n", len);
			stats_seen = 1;
			post_stats(2);
		}
	}
	wait_host(0); /* the host's last answers are read: a new target ends the guest */
	printf("virtio-balloon: config at the end");
	for (int o = 0; o < 16; o++)
		printf(" %02x", CFG8(o));
	printf("\n");
	pass();
}
