/*
 * lapic-timer: software-enables the local APIC (xAPIC MMIO at 0xfee00000,
 * mapped uncached), runs its timer periodically and counts the interrupts
 * taken at CPL3. The timer's input clock differs between VMMs (QEMU and KVM
 * count 1 ns per tick), so the check is only that they keep arriving.
 */
#include "rt.h"

GUEST_NAME("lapic-timer");

#define TIMER_VECTOR 0x40
#define SPURIOUS_VECTOR 0xff
#define WANT 100

static volatile u64 ticks, ticks_from_cpl3;

static void on_timer(struct intr_frame *f)
{
	ticks++;
	if ((f->cs & 3) == 3)
		ticks_from_cpl3++;
	lapic_write(LAPIC_EOI, 0);
}

static void on_spurious(struct intr_frame *f)
{
	(void)f;   /* no EOI for the spurious vector */
}

void guest_main(void)
{
	u32 ver = lapic_read(0x30);
	printf("lapic-timer: LAPIC id %u version 0x%x\n", lapic_read(LAPIC_ID) >> 24, ver & 0xff);
	set_intr_handler(TIMER_VECTOR, on_timer);
	set_intr_handler(SPURIOUS_VECTOR, on_spurious);
	lapic_write(0x80, 0);                              /* TPR: accept all */
	lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);   /* software enable */
	lapic_write(LAPIC_TIMER_DIV, 0xb);                 /* divide by 1 */
	lapic_write(LAPIC_LVT_TIMER, (1 << 17) | TIMER_VECTOR);   /* periodic */
	lapic_write(LAPIC_TIMER_INIT, 1000000);            /* 1 ms at a 1 GHz timer clock */

	u64 t0 = rdtsc();
	while (ticks < WANT)
		if (rdtsc() - t0 > (5UL << 30))                /* ~2 s at 2.5 GHz */
			break;
	u64 cycles = rdtsc() - t0, n = ticks;
	lapic_write(LAPIC_LVT_TIMER, 1 << 16);             /* mask */
	printf("lapic-timer: %lu interrupts (%lu at CPL3) in %lu M TSC cycles\n",
	       n, ticks_from_cpl3, cycles >> 20);
	if (n < WANT)
		fail("only %lu LAPIC timer interrupts arrived", n);
	if (!ticks_from_cpl3)
		fail("no interrupt was taken at CPL3");
}
