/*
 * insn-loop: a benchmark guest for CPU backends. A fixed CPL3 loop of exactly
 * 4 instructions per iteration (add, xor, sub, jnz), run `loops=N` times (kernel
 * command line; default 100000000), so the guest executes 4*N loop instructions.
 * Timing is done by the host (the difference of two runs with different N cancels
 * the boot); the guest prints the loop's result so the work cannot be skipped.
 */
#include "rt.h"

GUEST_NAME("insn-loop");

void guest_main(void)
{
	u64 n = cmdline_number("loops", 100000000);
	u64 acc = 1, x = 0x9e3779b97f4a7c15UL, count = n;
	if (count) {
		__asm__ volatile(
			"1:\n\t"
			"add %[x], %[acc]\n\t"
			"xor %[count], %[x]\n\t"
			"sub $1, %[count]\n\t"
			"jnz 1b\n\t"
			: [acc] "+r"(acc), [x] "+r"(x), [count] "+r"(count) :: "cc");
	}
	printf("insn-loop: %lu iterations, %lu instructions, result %lx\n", n, 4 * n, acc ^ x);
}
