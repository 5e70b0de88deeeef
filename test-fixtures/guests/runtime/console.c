/* COM1 output (polled 16550) and a tiny printf. */
#include "rt.h"

#define COM1 0x3f8
#define LSR_THRE 0x20

static volatile u32 console_lock;

void serial_init(void)
{
	outb(COM1 + 1, 0x00);   /* IER: no interrupts */
	outb(COM1 + 3, 0x80);   /* LCR: DLAB */
	outb(COM1 + 0, 0x01);   /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);   /* 8N1 */
	outb(COM1 + 2, 0xc7);   /* FIFO on, cleared */
	outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

void putc_serial(char c)
{
	/* bounded wait: a VMM whose LSR never shows THRE must not hang the guest */
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & LSR_THRE); i++)
		cpu_relax();
	outb(COM1, c);
}

void puts_serial(const char *s)
{
	while (*s)
		putc_serial(*s++);
}

static void put_num(u64 v, int base, int width, char pad, int neg)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (n < width--)
		putc_serial(pad);
	while (n)
		putc_serial(buf[--n]);
}

/* %s %c %d %u %x %p with optional 0/width and l/ll */
void vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			if (*fmt == '\n')
				putc_serial('\r');
			putc_serial(*fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's': { const char *s = va_arg(ap, const char *); puts_serial(s ? s : "(null)"); break; }
		case 'c': putc_serial((char)va_arg(ap, int)); break;
		case 'd': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(v < 0 ? -(u64)v : (u64)v, 10, width, pad, v < 0);
			break;
		}
		case 'u': put_num(lng ? va_arg(ap, u64) : va_arg(ap, u32), 10, width, pad, 0); break;
		case 'x': put_num(lng ? va_arg(ap, u64) : va_arg(ap, u32), 16, width, pad, 0); break;
		case 'p': puts_serial("0x"); put_num(va_arg(ap, u64), 16, width, pad, 0); break;
		case '%': putc_serial('%'); break;
		default: putc_serial('?'); break;
		}
	}
}

/* Whole lines from two vCPUs must not interleave; a bounded spin keeps an
 * exception handler that interrupted a printer from deadlocking. */
void printf(const char *fmt, ...)
{
	va_list ap;
	for (int i = 0; i < 10000000 && __atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE); i++)
		cpu_relax();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}
