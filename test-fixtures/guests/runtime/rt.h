/* The test guests' tiny runtime: port I/O, serial, printf, exit, interrupts. */
#ifndef RT_H
#define RT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef unsigned long size_t;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define NULL ((void *)0)

/* Each guest defines its name and its CPL3 entry. */
#define GUEST_NAME(n) const char guest_name[] = n
extern const char guest_name[];
void guest_main(void);          /* BSP, CPL3, IOPL=3, IF=1 */
void ap_main(int cpu);          /* optional (weak default spins): AP, CPL3 */

/* isa-debug-exit: QEMU exits with (v << 1) | 1 */
#define DEBUG_EXIT_PORT 0xf4
#define EXIT_PASS 0             /* QEMU exit status 1 */
#define EXIT_FAIL 1             /* QEMU exit status 3 */

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u64 rdtsc(void) { u32 lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((u64)hi << 32) | lo; }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }
static inline u32 mmio_read32(u64 a) { return *(volatile u32 *)a; }
static inline void mmio_write32(u64 a, u32 v) { *(volatile u32 *)a = v; }

/* string.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* console.c: COM1, polled 16550 */
void serial_init(void);
void putc_serial(char c);
void puts_serial(const char *s);
void printf(const char *fmt, ...);
void vprintf(const char *fmt, va_list ap);

/* exit */
void debug_exit(u32 v) __attribute__((noreturn));
void pass(void) __attribute__((noreturn));                    /* "ok NAME", exit 0 */
void fail(const char *fmt, ...) __attribute__((noreturn));    /* "not ok NAME: ...", exit 1 */

/* interrupts: handlers run at CPL0 (emulated here: keep them a few lines) */
struct intr_frame {
	u64 r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};
typedef void (*intr_handler)(struct intr_frame *f);
void set_intr_handler(int vector, intr_handler h);  /* callable from CPL3 */

/* PVH start info (struct hvm_start_info) */
#define HVM_START_MAGIC 0x336ec578
struct hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	u32 memmap_entries, reserved;
};
struct hvm_memmap_entry { u64 addr, size; u32 type, reserved; };
extern u64 pvh_start_info;    /* physical address from EBX at entry */

/* cmdline.c: the number after "KEY=" on the command line, or def */
u64 cmdline_number(const char *key, u64 def);

/* pic.c: 8259 remapped to 0x20/0x28, all masked at boot */
#define PIC_VECTOR_BASE 0x20
void pic_unmask(int irq);
void pic_eoi(int irq);
void pic_set_level_triggered(int irq);   /* ELCR bit: for the ACPI SCI */
void pit_start(u32 hz);       /* PIT channel 0, mode 2 */

/* acpi.c */
struct acpi_header { char sig[4]; u32 length; u8 revision, checksum; char oem[6], oem_table[8]; u32 oem_rev, creator, creator_rev; } __attribute__((packed));
u64 acpi_find_rsdp(void);                 /* 0 if none */
struct acpi_header *acpi_find_table(const char *sig);

/* time: TSC calibrated against PIT channel 2 (50 ms); 0 on failure */
u64 tsc_hz_calibrate(void);
void delay_cycles(u64 c);

/* LAPIC (xAPIC MMIO, mapped uncached) */
#define LAPIC_BASE 0xfee00000UL
#define LAPIC_ID 0x20
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
static inline u32 lapic_read(u32 r) { return mmio_read32(LAPIC_BASE + r); }
static inline void lapic_write(u32 r, u32 v) { mmio_write32(LAPIC_BASE + r, v); }

#endif
