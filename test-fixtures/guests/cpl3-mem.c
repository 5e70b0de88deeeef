/*
 * cpl3-mem: writes and verifies 8 MiB of guest RAM at 16..24 MiB from CPL3,
 * twice with different address-dependent patterns (needs >= 32 MiB of RAM).
 */
#include "rt.h"

GUEST_NAME("cpl3-mem");

#define BASE 0x1000000UL
#define SIZE 0x800000UL

static u64 pattern(u64 addr, u64 seed)
{
	u64 x = addr * 0x9e3779b97f4a7c15UL ^ seed;
	return x ^ (x >> 29);
}

void guest_main(void)
{
	u64 t0 = rdtsc();
	for (u64 seed = 1; seed <= 2; seed++) {
		volatile u64 *p = (volatile u64 *)BASE;
		for (u64 i = 0; i < SIZE / 8; i++)
			p[i] = pattern(BASE + 8 * i, seed);
		for (u64 i = 0; i < SIZE / 8; i++)
			if (p[i] != pattern(BASE + 8 * i, seed))
				fail("mismatch at 0x%lx: 0x%lx (pass %lu)", BASE + 8 * i, p[i], seed);
	}
	printf("cpl3-mem: wrote and verified %lu MiB twice at 0x%lx in %lu M TSC cycles\n",
	       SIZE >> 20, BASE, (rdtsc() - t0) >> 20);
}
