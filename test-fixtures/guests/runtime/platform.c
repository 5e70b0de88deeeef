/* PIC, PIT, TSC calibration and ACPI table lookup; all usable from CPL3. */
#include "rt.h"

/*
 * 8259 interrupts reach the CPU through LAPIC LINT0 in ExtINT mode ("virtual
 * wire"). SeaBIOS sets that up, but qboot and a reset LAPIC leave LVT0 masked
 * and the APIC software-disabled (which masks every LVT), so do it here.
 */
static void lapic_virtual_wire(void)
{
	lapic_write(LAPIC_SVR, 0x100 | 0xff);   /* enable, spurious vector 0xff */
	lapic_write(0x350, 0x700);              /* LVT0: ExtINT, unmasked */
	lapic_write(0x360, 0x400);              /* LVT1: NMI */
}

void pic_unmask(int irq)
{
	lapic_virtual_wire();
	if (irq < 8) {
		outb(0x21, inb(0x21) & ~(1 << irq));
	} else {
		outb(0xa1, inb(0xa1) & ~(1 << (irq - 8)));
		outb(0x21, inb(0x21) & ~(1 << 2));
	}
}

/*
 * ELCR (ports 0x4d0/0x4d1): one bit per IRQ, 1 = level-triggered. The ACPI SCI is a
 * shared level interrupt; in edge mode a PIC would miss a second event raised while
 * the line is still high.
 */
void pic_set_level_triggered(int irq)
{
	u16 port = 0x4d0 + (irq >> 3);
	outb(port, inb(port) | (1 << (irq & 7)));
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(0xa0, 0x20);
	outb(0x20, 0x20);
}

#define PIT_HZ 1193182

void pit_start(u32 hz)
{
	u32 div = PIT_HZ / hz;
	outb(0x43, 0x34);       /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
	outb(0x40, div & 0xff);
	outb(0x40, div >> 8);
}

/* Linux's classic method: PIT channel 2 one-shot, gated via port 0x61, OUT2 in bit 5. */
u64 tsc_hz_calibrate(void)
{
	const u32 count = PIT_HZ / 20;    /* 50 ms */
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);                 /* channel 2, lobyte/hibyte, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	u64 t0 = rdtsc(), t1;
	do {
		t1 = rdtsc();
		if (t1 - t0 > (1UL << 36))    /* ~20 s at any plausible TSC rate */
			return 0;
	} while (!(inb(0x61) & 0x20));
	return (t1 - t0) * 20;
}

void delay_cycles(u64 c)
{
	u64 t0 = rdtsc();
	while (rdtsc() - t0 < c)
		cpu_relax();
}

static int checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 s = 0;
	while (len--)
		s += *b++;
	return s == 0;
}

u64 acpi_find_rsdp(void)
{
	struct hvm_start_info *si = (struct hvm_start_info *)pvh_start_info;
	if (si && si->magic == HVM_START_MAGIC && si->rsdp_paddr)
		return si->rsdp_paddr;
	for (u64 a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp((void *)a, "RSD PTR ", 8) && checksum_ok((void *)a, 20))
			return a;
	return 0;
}

struct acpi_header *acpi_find_table(const char *sig)
{
	u64 rsdp = acpi_find_rsdp();
	if (!rsdp)
		return NULL;
	u8 rev = *(u8 *)(rsdp + 15);
	u64 xsdt = rev >= 2 ? *(u64 *)(rsdp + 24) : 0;
	u64 sdt = xsdt ? xsdt : *(u32 *)(rsdp + 16);
	int esize = xsdt ? 8 : 4;
	if (!sdt || sdt >= (1UL << 32))
		return NULL;
	struct acpi_header *h = (struct acpi_header *)sdt;
	u32 n = (h->length - sizeof(*h)) / esize;
	for (u32 i = 0; i < n; i++) {
		u64 a = esize == 8 ? *(u64 *)(sdt + sizeof(*h) + 8 * i)
				   : *(u32 *)(sdt + sizeof(*h) + 4 * i);
		if (a && a < (1UL << 32) && !memcmp(((struct acpi_header *)a)->sig, sig, 4))
			return (struct acpi_header *)a;
	}
	return NULL;
}
