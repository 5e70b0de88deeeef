/*
 * pit-timer: 8259 PIC + PIT channel 0 at 1000 Hz; counts IRQ0 taken while the
 * guest runs at CPL3 and checks the rate against the TSC, itself calibrated
 * with PIT channel 2 (a 50 ms one-shot).
 */
#include "rt.h"

GUEST_NAME("pit-timer");

#define HZ 1000
static volatile u64 ticks, ticks_from_cpl3;

static void on_irq0(struct intr_frame *f)
{
	ticks++;
	if ((f->cs & 3) == 3)
		ticks_from_cpl3++;
	pic_eoi(0);
}

void guest_main(void)
{
	u64 tsc_hz = tsc_hz_calibrate();
	if (!tsc_hz)
		fail("PIT channel 2 never signalled (port 0x61 bit 5)");
	printf("pit-timer: TSC %lu kHz (PIT channel 2)\n", tsc_hz / 1000);

	set_intr_handler(PIC_VECTOR_BASE + 0, on_irq0);
	pit_start(HZ);
	pic_unmask(0);

	/* wait for the first tick (at most 1 s), then count for 500 ms */
	u64 t0 = rdtsc();
	while (!ticks)
		if (rdtsc() - t0 > tsc_hz)
			fail("no timer interrupt within 1 s");
	u64 c0 = ticks;
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_hz / 2)
		cpu_relax();
	u64 n = ticks - c0;
	u64 rate = n * 2;
	printf("pit-timer: %lu interrupts in 500 ms (%lu Hz), %lu of %lu taken at CPL3\n",
	       n, rate, ticks_from_cpl3, ticks);
	if (rate < HZ / 2 || rate > HZ * 2)
		fail("rate %lu Hz, expected about %u Hz", rate, HZ);
	if (ticks_from_cpl3 == 0)
		fail("no interrupt was taken at CPL3");
}
