/* CPL3 side of the runtime: entry wrappers, exit paths. */
#include "rt.h"

void user_start_bsp(int cpu)
{
	(void)cpu;
	serial_init();
	guest_main();
	pass();
}

__attribute__((weak)) void ap_main(int cpu)
{
	(void)cpu;
	for (;;)
		cpu_relax();
}

void user_start_ap(int cpu)
{
	ap_main(cpu);
	for (;;)
		cpu_relax();
}

void debug_exit(u32 v)
{
	outl(DEBUG_EXIT_PORT, v);
	/* no debug-exit device: nothing more we can do from here */
	for (;;)
		cpu_relax();
}

void pass(void)
{
	printf("ok %s\n", guest_name);
	debug_exit(EXIT_PASS);
}

void fail(const char *fmt, ...)
{
	va_list ap;
	printf("not ok %s: ", guest_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	debug_exit(EXIT_FAIL);
}
