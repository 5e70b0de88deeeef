/*
 * ticker: runs until powered off or killed. PIT at 100 Hz counted by the
 * ring-0 handler; the CPL3 loop prints "tick N" every 10 interrupts (100 ms
 * of guest time) and keeps rewriting 4 MiB at 16..20 MiB (dirty pages for
 * snapshot/migration tests; "dirty=N" on the command line rewrites N MiB from
 * 16 MiB instead, for saves that take a while; "rate=R" paces the rewriting to
 * R MiB per second of PIT time instead of as fast as the CPU goes, the fixed
 * dirty rate of a migration benchmark).
 *
 * ACPI power button: the FADT gives the SCI and the PM1a blocks. The ticker
 * enables PWRBTN_EN and takes the SCI through the 8259 (level-triggered via
 * ELCR, LAPIC LINT0 in ExtINT mode); on a press the handler clears PWRBTN_STS
 * and the CPL3 loop prints "ticker: power button" and enters S5.
 */
#include "rt.h"

GUEST_NAME("ticker");

#define HZ 100
#define DIRTY_BASE 0x1000000UL
#define DIRTY_MIB 4
#define CHUNK 0x10000UL

/* FADT field offsets (ACPI 1.0 part) */
#define FADT_SCI_INT 46
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_EVT_BLK 56
#define FADT_PM1A_CNT_BLK 64
/* PM1 registers: STS at EVT+0, EN at EVT+2 */
#define PWRBTN 0x0100           /* PWRBTN_STS / PWRBTN_EN */
#define SCI_EN 0x0001
#define SLP_TYP_S5 0
#define SLP_EN (1 << 13)

static volatile u64 ticks;
static volatile u64 pwrbtn_presses;
static u16 pm1a_evt, pm1a_cnt, sci_irq;

static void on_irq0(struct intr_frame *f)
{
	(void)f;
	ticks++;
	pic_eoi(0);
}

/* ring 0: acknowledge the power-button event (write 1 to clear), then EOI the level SCI */
static void on_sci(struct intr_frame *f)
{
	(void)f;
	u16 sts = inw(pm1a_evt);
	if (sts & PWRBTN) {
		outw(pm1a_evt, PWRBTN);
		pwrbtn_presses++;
	}
	pic_eoi(sci_irq);
}

/* Returns 1 when the power button is armed. */
static int power_button_setup(void)
{
	struct acpi_header *fadt = acpi_find_table("FACP");
	if (!fadt) {
		printf("ticker: no FADT, no power button\n");
		return 0;
	}
	u8 *f = (u8 *)fadt;
	u32 evt = *(u32 *)(f + FADT_PM1A_EVT_BLK), cnt = *(u32 *)(f + FADT_PM1A_CNT_BLK);
	u16 sci = *(u16 *)(f + FADT_SCI_INT);
	if (!evt || evt > 0xfffc || !cnt || cnt > 0xfffe || sci < 1 || sci > 15 || sci == 2) {
		printf("ticker: unusable FADT (SCI %u, PM1a_EVT 0x%x, PM1a_CNT 0x%x), no power button\n", sci, evt, cnt);
		return 0;
	}
	pm1a_evt = evt;
	pm1a_cnt = cnt;
	sci_irq = sci;
	if (!(inw(pm1a_cnt) & SCI_EN)) {
		/* legacy mode: ask the firmware to switch to ACPI mode, as an OS does */
		u32 smi_cmd = *(u32 *)(f + FADT_SMI_CMD);
		u8 enable = f[FADT_ACPI_ENABLE];
		if (smi_cmd && smi_cmd <= 0xffff && enable)
			outb(smi_cmd, enable);
	}
	outw(pm1a_evt, PWRBTN);                         /* drop a stale press */
	outw(pm1a_evt + 2, inw(pm1a_evt + 2) | PWRBTN);  /* PWRBTN_EN */
	set_intr_handler(PIC_VECTOR_BASE + sci_irq, on_sci);
	pic_set_level_triggered(sci_irq);
	pic_unmask(sci_irq);
	printf("ticker: power button on SCI %u (PM1a_EVT 0x%x, PM1a_CNT 0x%x, SCI_EN %u)\n",
	       sci_irq, pm1a_evt, pm1a_cnt, inw(pm1a_cnt) & SCI_EN);
	return 1;
}

void guest_main(void)
{
	set_intr_handler(PIC_VECTOR_BASE + 0, on_irq0);
	pit_start(HZ);
	pic_unmask(0);
	int armed = power_button_setup();
	u64 dirty_size = cmdline_number("dirty", DIRTY_MIB) << 20;
	if (dirty_size < CHUNK)
		dirty_size = CHUNK;
	u64 rate = cmdline_number("rate", 0) << 20;     /* bytes per second; 0: unpaced */
	printf("ticker: running\n");
	if (rate)
		printf("ticker: dirtying %lu MiB/s\n", rate >> 20);
	u64 printed = 0, gen = 0, off = 0, written = 0;
	for (;;) {
		if (rate && written >= ticks * rate / HZ) {
			cpu_relax();    /* ahead of the rate: only the clock runs */
			goto clock;
		}
		written += CHUNK;
		volatile u64 *p = (volatile u64 *)(DIRTY_BASE + off);
		for (u64 i = 0; i < CHUNK / 8; i += 8)   /* one word per cache line */
			p[i] = gen + i;
		off = (off + CHUNK) % dirty_size;
		if (!off && !gen++ && dirty_size != (DIRTY_MIB << 20))
			printf("ticker: %lu MiB dirty\n", dirty_size >> 20);
clock:;
		u64 t = ticks / (HZ / 10);
		while (printed < t)     /* consecutive N even if the loop fell behind */
			printf("tick %lu\n", ++printed);
		if (armed && pwrbtn_presses) {
			printf("ticker: power button\n");
			outw(pm1a_cnt, (SLP_TYP_S5 << 10) | SLP_EN);
			u64 t0 = rdtsc();   /* still here: S5 did not happen */
			while (rdtsc() - t0 < (5UL << 30))
				cpu_relax();
			fail("still running ~2 s after the S5 request");
		}
	}
}
