/*
 * The CPL0 part of the runtime: IDT, TSS, interrupt dispatch. Runs emulated on
 * this machine's KVM, so it is kept to a few thousand plain integer instructions.
 */
#include "rt.h"

#define KCODE64 0x10
#define TSS_SEL(cpu) (0x40 + 16 * (cpu))
#define KSTACK_SIZE 16384

struct tss64 {
	u32 reserved0;
	u64 rsp0, rsp1, rsp2;
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3, iomap_base;
	u8 iomap[8192 + 1];
} __attribute__((packed));

struct idt_gate { u16 off0, sel; u8 ist, type; u16 off1; u32 off2, reserved; };

extern char isr_stubs[], kstacks[];
extern u64 gdt_tss[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct tss64 tss[2] __attribute__((aligned(16)));
static intr_handler handlers[256];
static volatile u64 unexpected_vectors;

void user_start_bsp(int cpu);
void user_start_ap(int cpu);

static void fill_idt(void)
{
	for (int v = 0; v < 256; v++) {
		u64 a = (u64)isr_stubs + 16 * v;
		idt[v].off0 = a;
		idt[v].sel = KCODE64;
		idt[v].ist = 0;
		idt[v].type = 0x8e;       /* present, DPL0, 64-bit interrupt gate */
		idt[v].off1 = a >> 16;
		idt[v].off2 = a >> 32;
	}
}

static void load_idt(void)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) p = { sizeof(idt) - 1, (u64)idt };
	__asm__ volatile("lidt %0" :: "m"(p));
}

static void load_tss(int cpu)
{
	u64 base = (u64)&tss[cpu];
	tss[cpu].rsp0 = (u64)kstacks + KSTACK_SIZE * (cpu + 1);
	/*
	 * This host's KVM drops IOPL on the way to CPL3 (SYSRET/IRET), so ring-3
	 * port I/O is granted by an all-zero I/O bitmap instead (0xff terminator).
	 */
	tss[cpu].iomap_base = __builtin_offsetof(struct tss64, iomap);
	tss[cpu].iomap[8192] = 0xff;
	gdt_tss[2 * cpu] = (sizeof(struct tss64) - 1) | ((base & 0xffffff) << 16)
		| (0x89UL << 40) | (((base >> 24) & 0xff) << 56);
	gdt_tss[2 * cpu + 1] = base >> 32;
	__asm__ volatile("ltr %w0" :: "r"(TSS_SEL(cpu)));
}

/* 8259: ICW1..4 with vectors 0x20/0x28, then mask everything. */
static void pic_init(void)
{
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, PIC_VECTOR_BASE); outb(0xa1, PIC_VECTOR_BASE + 8);
	outb(0x21, 0x04); outb(0xa1, 0x02);
	outb(0x21, 0x01); outb(0xa1, 0x01);
	outb(0x21, 0xff); outb(0xa1, 0xff);
}

/* Called from entry.S at CPL0; returns the CPL3 entry point for this cpu. */
u64 kernel_init(int cpu)
{
	if (cpu == 0) {
		fill_idt();
		pic_init();
	}
	load_idt();
	load_tss(cpu);
	return cpu == 0 ? (u64)user_start_bsp : (u64)user_start_ap;
}

void set_intr_handler(int vector, intr_handler h)
{
	handlers[vector & 0xff] = h;
	barrier();
}

static void fatal_exception(struct intr_frame *f) __attribute__((noreturn));
static void fatal_exception(struct intr_frame *f)
{
	u64 cr2;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	printf("not ok %s: exception %lu error 0x%lx rip 0x%lx cs 0x%lx rsp 0x%lx rflags 0x%lx cr2 0x%lx\n",
	       guest_name, f->vector, f->error, f->rip, f->cs, f->rsp, f->rflags, cr2);
	debug_exit(EXIT_FAIL);
}

void isr_dispatch(struct intr_frame *f)
{
	intr_handler h = handlers[f->vector];
	if (h) {
		h(f);
		return;
	}
	if (f->vector < 32)
		fatal_exception(f);
	unexpected_vectors++;   /* e.g. a spurious PIC IRQ7: ignore */
}
