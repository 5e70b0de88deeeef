/*
 * reset: first boot stores a magic at 0x800000 (8 MiB, outside the image)
 * and resets through the i8042 (0xfe to port 0x64); the second boot finds
 * the magic, clears it and passes. RAM must survive the reset (as in QEMU).
 */
#include "rt.h"

GUEST_NAME("reset");

#define MAGIC_ADDR 0x800000UL
#define MAGIC 0x5453522d5452564aUL    /* "JVRT-RST" */

void guest_main(void)
{
	volatile u64 *m = (volatile u64 *)MAGIC_ADDR;
	if (*m == MAGIC) {
		*m = 0;
		printf("reset: second boot\n");
		return;    /* -> ok reset */
	}
	printf("reset: first boot\n");
	*m = MAGIC;
	outb(0x64, 0xfe);
	u64 t0 = rdtsc();
	while (rdtsc() - t0 < (5UL << 30))
		cpu_relax();
	fail("no reset ~2 s after the i8042 reset command");
}
