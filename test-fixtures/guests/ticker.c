/*
 * ticker: runs until powered off or killed. PIT at 100 Hz counted by the
 * ring-0 handler; the CPL3 loop prints "tick N" every 10 interrupts (100 ms
 * of guest time) and keeps rewriting 4 MiB at 16..20 MiB (dirty pages for
 * snapshot/migration tests).
 */
#include "rt.h"

GUEST_NAME("ticker");

#define HZ 100
#define DIRTY_BASE 0x1000000UL
#define DIRTY_SIZE 0x400000UL
#define CHUNK 0x10000UL

static volatile u64 ticks;

static void on_irq0(struct intr_frame *f)
{
	(void)f;
	ticks++;
	pic_eoi(0);
}

void guest_main(void)
{
	set_intr_handler(PIC_VECTOR_BASE + 0, on_irq0);
	pit_start(HZ);
	pic_unmask(0);
	printf("ticker: running\n");
	u64 printed = 0, gen = 0, off = 0;
	for (;;) {
		volatile u64 *p = (volatile u64 *)(DIRTY_BASE + off);
		for (u64 i = 0; i < CHUNK / 8; i += 8)   /* one word per cache line */
			p[i] = gen + i;
		off = (off + CHUNK) % DIRTY_SIZE;
		if (!off)
			gen++;
		u64 t = ticks / (HZ / 10);
		while (printed < t)     /* consecutive N even if the loop fell behind */
			printf("tick %lu\n", ++printed);
	}
}
