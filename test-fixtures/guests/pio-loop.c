/*
 * pio-loop: a benchmark guest. 100000 one-byte OUTs from CPL3 to port 0x80
 * (the POST-code port, which QEMU accepts and ignores), each one a VM exit.
 */
#include "rt.h"

GUEST_NAME("pio-loop");

#define PORT 0x80
#define COUNT 100000

void guest_main(void)
{
	u64 t0 = rdtsc();
	for (u32 i = 0; i < COUNT; i++)
		outb(PORT, (u8)i);
	u64 cycles = rdtsc() - t0;
	printf("pio-loop: %u outs to port 0x%x in %lu M TSC cycles (%lu cycles each)\n",
	       COUNT, PORT, cycles >> 20, cycles / COUNT);
}
