/*
 * smp: the BSP starts the second vCPU with INIT/SIPI/SIPI through the LAPIC
 * ICR. The AP runs a real-mode trampoline at 0x8000 (SIPI vector 0x08), goes
 * to long mode through the same short path as the BSP and then counts at CPL3;
 * the BSP waits for its count. The AP's APIC ID comes from the ACPI MADT if
 * there is one, else it is assumed to be 1. Run with 2 vCPUs.
 */
#include "rt.h"

GUEST_NAME("smp");

#define TRAMPOLINE 0x8000UL
#define AP_COUNT_WANTED 1000000UL

extern char ap_trampoline[], ap_trampoline_end[];
static volatile u64 ap_counter;
static volatile u32 ap_started_apic_id = 0xffffffff;

static u32 find_ap_apic_id(u32 bsp_id)
{
	struct acpi_header *madt = acpi_find_table("APIC");
	if (!madt)
		return 1;
	u8 *p = (u8 *)madt + 44, *end = (u8 *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2) {
		/* type 0: processor local APIC {uid, apic id, flags} */
		if (p[0] == 0 && (*(u32 *)(p + 4) & 1) && p[3] != bsp_id)
			return p[3];
		p += p[1];
	}
	return 0xffffffff;
}

void ap_main(int cpu)
{
	ap_started_apic_id = lapic_read(LAPIC_ID) >> 24;
	u16 cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	printf("smp: AP (cpu %d, APIC id %u) at CPL%u\n", cpu, ap_started_apic_id, cs & 3);
	for (;;)
		__atomic_fetch_add(&ap_counter, 1, __ATOMIC_RELAXED);
}

static void send_ipi(u32 apic_id, u32 icr_lo)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_lo);
	for (int i = 0; i < 1000 && (lapic_read(LAPIC_ICR_LO) & (1 << 12)); i++)
		cpu_relax();   /* delivery status */
}

void guest_main(void)
{
	u32 bsp_id = lapic_read(LAPIC_ID) >> 24;
	u32 ap_id = find_ap_apic_id(bsp_id);
	if (ap_id == 0xffffffff)
		fail("the MADT lists no second enabled CPU (run with 2 vCPUs)");
	printf("smp: BSP APIC id %u, starting APIC id %u\n", bsp_id, ap_id);

	memcpy((void *)TRAMPOLINE, ap_trampoline, ap_trampoline_end - ap_trampoline);
	lapic_write(LAPIC_SVR, 0x1ff);
	send_ipi(ap_id, 0x4500);                           /* INIT, assert */
	delay_cycles(25000000);                            /* ~10 ms */
	for (int i = 0; i < 2; i++) {
		send_ipi(ap_id, 0x4600 | (TRAMPOLINE >> 12));  /* STARTUP */
		delay_cycles(500000);                      /* ~200 us */
	}

	u64 t0 = rdtsc();
	while (ap_counter < AP_COUNT_WANTED)
		if (rdtsc() - t0 > (10UL << 30))           /* ~4 s */
			fail("AP did not count (APIC id %u, counter %lu)", ap_id, ap_counter);
	printf("smp: BSP sees the AP's counter at %lu\n", ap_counter);
	if (ap_started_apic_id != ap_id)
		fail("AP reports APIC id %u, expected %u", ap_started_apic_id, ap_id);
}
