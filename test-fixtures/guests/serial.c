/* serial: the smallest guest; also checks the PVH start info it was given. */
#include "rt.h"

GUEST_NAME("serial");

void guest_main(void)
{
	struct hvm_start_info *si = (struct hvm_start_info *)pvh_start_info;
	printf("Hello from the jvirt test guest 'serial' (CPL3, 64-bit)\n");
	if (!si || si->magic != HVM_START_MAGIC)
		fail("bad hvm_start_info at 0x%lx (magic 0x%x)", pvh_start_info, si ? si->magic : 0);
	printf("serial: hvm_start_info at 0x%lx version %u rsdp 0x%lx memmap entries %u\n",
	       pvh_start_info, si->version, si->rsdp_paddr, si->version >= 1 ? si->memmap_entries : 0);
	if (si->cmdline_paddr)
		printf("serial: cmdline '%s'\n", (const char *)si->cmdline_paddr);
	u16 cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	if ((cs & 3) != 3)
		fail("not running at CPL3 (cs 0x%x)", cs);
}
