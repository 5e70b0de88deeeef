/*
 * disk-ticker: the ticker's clock driving disk writes, for snapshot, save and
 * revert tests of a guest that writes its disk. PIT at 100 Hz counted by the
 * ring-0 handler; every 10 interrupts (100 ms of guest time) the CPL3 loop
 * writes tick N (N = 1, 2, 3, ...) to sector N % 64 of the virtio-blk disk
 * (polled, runtime/virtio_blk.c), flushes, and prints "disk-tick N".
 *
 * Sector N % 64 for tick N: bytes 0..15 "JVIRT-DISK-TICK:", bytes 16..23 N
 * (little-endian), byte i = (N + i) & 0xff for i = 24..511.
 *
 * Before overwriting a sector it reads it and insists that it holds tick
 * N - 64 (all zeros while N <= 64): so a guest whose memory and disk are from
 * different moments (a revert that did not bring the disk back) fails with
 * "not ok disk-ticker: sector S holds ...". "ticks=N" on the command line
 * makes it stop after tick N, re-read all 64 sectors and pass ("ok
 * disk-ticker"); without it, it runs until powered off or killed. "rewrite=1"
 * keeps the disk busy between ticks by writing the last tick's sector again
 * and again (same bytes), so that a pause, snapshot or save almost always
 * finds a request in flight.
 */
#include "virtio_blk.h"

GUEST_NAME("disk-ticker");

#define HZ 100
#define SECTORS 64
#define MAGIC "JVIRT-DISK-TICK:"

static volatile u64 ticks;

static void on_irq0(struct intr_frame *f)
{
	(void)f;
	ticks++;
	pic_eoi(0);
}

static void fill(u8 *d, u64 n)
{
	memcpy(d, MAGIC, 16);
	for (int i = 0; i < 8; i++)
		d[16 + i] = n >> (8 * i);
	for (int i = 24; i < 512; i++)
		d[i] = (n + i) & 0xff;
}

/* The tick sector S holds: 0 for all zeros, the tick for a valid pattern, -1 otherwise. */
static long held(const u8 *d)
{
	u8 any = 0;
	for (int i = 0; i < 512; i++)
		any |= d[i];
	if (!any)
		return 0;
	if (memcmp(d, MAGIC, 16))
		return -1;
	u64 n = 0;
	for (int i = 0; i < 8; i++)
		n |= (u64)d[16 + i] << (8 * i);
	for (int i = 24; i < 512; i++)
		if (d[i] != ((n + i) & 0xff))
			return -1;
	return (long)n;
}

static void read_sector(u64 s)
{
	u8 st = vblk_request(VBLK_T_IN, s);
	if (st)
		fail("read of sector %lu: status %u", s, st);
}

/* The tick sector S must hold after tick LAST was written. */
static long expected(u64 s, u64 last)
{
	if (last < s)
		return 0;
	return (long)(last - (last - s) % SECTORS);
}

void guest_main(void)
{
	struct vblk dev;
	vblk_init(&dev);
	if (dev.capacity < SECTORS)
		fail("disk too small (%lu sectors, %u needed)", dev.capacity, SECTORS);
	u64 stop = cmdline_number("ticks", 0), rewrite = cmdline_number("rewrite", 0);
	set_intr_handler(PIC_VECTOR_BASE + 0, on_irq0);
	pit_start(HZ);
	pic_unmask(0);
	printf("disk-ticker: running (%lu sectors, flush %s%s)\n", dev.capacity, dev.has_flush ? "offered" : "not offered",
	       rewrite ? ", rewriting" : "");
	u64 written = 0;
	for (;;) {
		u64 t = ticks / (HZ / 10);
		while (written < t) {   /* consecutive N even if the loop fell behind */
			u64 n = written + 1, s = n % SECTORS;
			read_sector(s);
			long h = held(vblk_data), want = n > SECTORS ? (long)(n - SECTORS) : 0;
			if (h != want)
				fail("sector %lu holds %s %ld, expected %ld before tick %lu", s,
				     h < 0 ? "garbage, not tick" : "tick", h, want, n);
			fill(vblk_data, n);
			u8 st = vblk_request(VBLK_T_OUT, s);
			if (st)
				fail("write of sector %lu: status %u", s, st);
			if (dev.has_flush && (st = vblk_request(VBLK_T_FLUSH, 0)))
				fail("flush: status %u", st);
			written = n;
			printf("disk-tick %lu\n", n);
			if (stop && n >= stop) {
				for (u64 s2 = 0; s2 < SECTORS; s2++) {
					read_sector(s2);
					if (held(vblk_data) != expected(s2, n))
						fail("sector %lu holds %ld, expected %ld", s2, held(vblk_data), expected(s2, n));
				}
				printf("disk-ticker: %lu ticks written, %u sectors checked\n", n, SECTORS);
				pass();
			}
		}
		if (rewrite && written) {
			fill(vblk_data, written);
			u8 st = vblk_request(VBLK_T_OUT, written % SECTORS);
			if (st)
				fail("rewrite of sector %lu: status %u", written % SECTORS, st);
		} else {
			cpu_relax();
		}
	}
}
