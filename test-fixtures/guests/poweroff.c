/*
 * poweroff: ACPI S5 through the FADT's PM1a control block:
 * RSDP (hvm_start_info.rsdp_paddr, else a scan of 0xe0000..0xfffff) ->
 * RSDT/XSDT -> "FACP" -> PM1a_CNT_BLK (offset 64) <- SLP_TYP(0) << 10 | SLP_EN.
 * SLP_TYP 0 is S5 on QEMU's pc/piix4 and in jvirt's ACPI tables.
 */
#include "rt.h"

GUEST_NAME("poweroff");

#define FADT_PM1A_CNT_BLK 64
#define SLP_TYP_S5 0
#define SLP_EN (1 << 13)

void guest_main(void)
{
	u64 rsdp = acpi_find_rsdp();
	if (!rsdp)
		fail("no ACPI RSDP");
	struct acpi_header *fadt = acpi_find_table("FACP");
	if (!fadt)
		fail("no FACP table (RSDP at 0x%lx)", rsdp);
	u32 pm1a = *(u32 *)((u64)fadt + FADT_PM1A_CNT_BLK);
	if (!pm1a || pm1a > 0xffff)
		fail("bad PM1a_CNT_BLK 0x%x", pm1a);
	printf("poweroff: RSDP 0x%lx FADT 0x%lx PM1a_CNT 0x%x\n", rsdp, (u64)fadt, pm1a);
	printf("ok %s\n", guest_name);
	outw(pm1a, (SLP_TYP_S5 << 10) | SLP_EN);
	/* still here: the power-off did not happen */
	u64 t0 = rdtsc();
	while (rdtsc() - t0 < (5UL << 30))
		cpu_relax();
	fail("still running ~2 s after the S5 request");
}
