/*
 * virtio-input: finds the virtio-input PCI functions (1af4:1052: QEMU's virtio-keyboard-pci,
 * virtio-mouse-pci, virtio-tablet-pci) and prints on COM1 everything a driver sees, so that two
 * VMMs can be compared line by line:
 *  - each function's PCI identity (address, ids, revision, class, subsystem) and queue sizes;
 *  - the answer to every config select/subsel asked (selects 0-4, 0x10-0x13, 0x7f, 0xff; subsels
 *    0-0x3f): size and payload when the size is not 0, a count of the empty ones; the raw config
 *    window bytewise and in 32-bit reads (past the config's end), and QEMU's shadow-register quirks;
 * then, polled, in phases the host drives (each starts with a "virtio-input: PHASE" line):
 *  "ps2 keys"       no virtio driver yet: the host's key reaches the PS/2 keyboard ("ps2 XX")
 *  "keyboard keys"  keyboard DRIVER_OK, 64 buffers: every event printed ("kbd: type code value (len)",
 *                   "kbd: syn"); F12's release ends it; the 8042 must then be empty
 *  "tablet"         tablet DRIVER_OK: TABLET_SYNCS batches of absolute events
 *  "mouse"          mouse DRIVER_OK: MOUSE_SYNCS batches of relative events
 *  "mouse reset"    the mouse reset: the next pointer event goes to the tablet
 *  "mouse 3"        the mouse again with 3 buffers: a 4-event batch is lost, a 3-event one arrives
 *  "mouse more"     8 more buffers: one batch
 *  "leds"           status events to the keyboard's status queue, their used lengths
 *  "ps2 again"      the keyboard reset: keys go to the PS/2 keyboard again
 * Memory: each function's queues at 0x400000 + 0x10000 * n (event), + 0x8000 (status), buffers at
 * 0x600000 + 0x1000 * n.
 */
#include "rt.h"
#include "virtio_pci.h"

GUEST_NAME("virtio-input");

#define KBD_DATA 0x60
#define KBD_CTL 0x64
#define TABLET_SYNCS 8
#define MOUSE_SYNCS 7
#define EV_SYN 0
#define EV_KEY 1
#define EV_LED 0x11
#define KEY_F12 88

struct dev {
	struct vpci p;
	struct vq evq, stq;
	const char *name;
	u64 qbase, bufs;
	int found;
};

static struct dev devs[3];
static struct dev *kbd, *mouse, *tablet;

#define CFG8(d, o) (*(volatile u8 *)((d)->p.devcfg + (o)))
#define CFG16(d, o) (*(volatile u16 *)((d)->p.devcfg + (o)))
#define CFG32(d, o) (*(volatile u32 *)((d)->p.devcfg + (o)))

static u32 pci_read32(struct vpci *p, int off)
{
	outl(0xcf8, 0x80000000u | p->dev << 11 | p->fn << 8 | (off & 0xfc));
	return inl(0xcfc);
}

static void select_cfg(struct dev *d, u8 sel, u8 sub)
{
	CFG8(d, 0) = sel;
	CFG8(d, 1) = sub;
}

static void dump_config(struct dev *d)
{
	static const u8 selects[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12, 0x13, 0x7f, 0xff};
	u32 empty = 0;
	for (u32 i = 0; i < sizeof(selects); i++) {
		for (u32 sub = 0; sub < 0x40; sub++) {
			select_cfg(d, selects[i], sub);
			u8 size = CFG8(d, 2);
			if (!size) {
				empty++;
				continue;
			}
			printf("%s: cfg %02x/%02x size %u:", d->name, CFG8(d, 0), CFG8(d, 1), size);
			for (u32 k = 0; k < size; k++)
				printf(" %02x", CFG8(d, 8 + k));
			printf("\n");
		}
	}
	printf("%s: %u empty selections\n", d->name, empty);
	select_cfg(d, 0x01, 0);
	printf("%s: raw", d->name);
	for (int o = 0; o < 0x90; o++)
		printf("%s%02x", o % 32 ? " " : "\n  ", CFG8(d, o));
	printf("\n%s: raw32", d->name);
	for (int o = 0; o < 0x90; o += 4)
		printf(" %x", CFG32(d, o));
	printf("\n%s: raw16 at 0x21..0x3a:", d->name);
	for (int o = 0x21; o < 0x3b; o += 3)
		printf(" %x", CFG16(d, o));
	printf("\n");
	/* QEMU's config is a shadow buffer: a write to size is lost on the next read; a read of a
	 * missing entry zeroes the shadow, so a later subsel write alone takes select 0 from it */
	CFG8(d, 2) = 0x55;
	printf("%s: size after writing it: %u\n", d->name, CFG8(d, 2));
	CFG16(d, 0) = 0x0311;
	printf("%s: 16-bit select 11/03: %02x/%02x size %u\n", d->name, CFG8(d, 0), CFG8(d, 1), CFG8(d, 2));
	select_cfg(d, 0x7f, 0);
	printf("%s: missing: %02x/%02x size %u\n", d->name, CFG8(d, 0), CFG8(d, 1), CFG8(d, 2));
	CFG8(d, 1) = 0;
	printf("%s: subsel alone: %02x/%02x size %u\n", d->name, CFG8(d, 0), CFG8(d, 1), CFG8(d, 2));
	CFG8(d, 0) = 1;
	printf("%s: select alone: %02x/%02x size %u\n", d->name, CFG8(d, 0), CFG8(d, 1), CFG8(d, 2));
	CFG32(d, 0x200) = 0x12345678; /* past the end: ignored */
	printf("%s: past the end: %x\n", d->name, CFG32(d, 0x200));
}

static void probe(struct dev *d, int n)
{
	d->qbase = 0x400000UL + 0x10000UL * n;
	d->bufs = 0x600000UL + 0x1000UL * n;
	struct vpci *p = &d->p;
	u32 id = pci_read32(p, 0), cls = pci_read32(p, 8), sub = pci_read32(p, 0x2c);
	vpci_negotiate(p, 0);
	select_cfg(d, 0x01, 0);
	char c = CFG8(d, 8 + 12);
	d->name = c == 'K' ? "kbd" : c == 'M' ? "mouse" : c == 'T' ? "tablet" : "unknown";
	if (c == 'K')
		kbd = d;
	else if (c == 'M')
		mouse = d;
	else if (c == 'T')
		tablet = d;
	volatile u16 *nq = (volatile u16 *)(p->common + 0x12);
	volatile u16 *qsel = (volatile u16 *)(p->common + VPCI_QSEL), *qsize = (volatile u16 *)(p->common + VPCI_QSIZE);
	*qsel = 0;
	u16 s0 = *qsize;
	*qsel = 1;
	u16 s1 = *qsize;
	printf("%s: %04x:%04x rev %u class %06x subsystem %04x:%04x queues %u (%u, %u)\n", d->name, id & 0xffff, id >> 16,
	       cls & 0xff, cls >> 8, sub & 0xffff, sub >> 16, *nq, s0, s1);
	dump_config(d);
}

/* Queues set up and `count` 8-byte event buffers posted, then DRIVER_OK. */
static void start(struct dev *d, u16 count)
{
	vpci_negotiate(&d->p, 0);
	vpci_queue(&d->p, &d->evq, 0, d->qbase, 64);
	vpci_queue(&d->p, &d->stq, 1, d->qbase + 0x8000, 8);
	for (u16 i = 0; i < count; i++) {
		d->evq.desc[i] = (struct vdesc){ d->bufs + 8 * i, 8, VDESC_WRITE, 0 };
		vpci_submit(&d->p, &d->evq, i);
	}
	vpci_ready(&d->p);
}

static void post_more(struct dev *d, u16 from, u16 count)
{
	for (u16 i = from; i < from + count; i++) {
		d->evq.desc[i] = (struct vdesc){ d->bufs + 8 * i, 8, VDESC_WRITE, 0 };
		vpci_submit(&d->p, &d->evq, i);
	}
}

/* The next event (its buffer posted again when repost); returns its type<<16|code, value in *value. */
static u32 next_event(struct dev *d, int repost, int *value)
{
	struct vq *q = &d->evq;
	while (q->used[1] == q->last_used)
		cpu_relax();
	barrier();
	volatile u32 *e = (volatile u32 *)(q->used + 2) + 2 * (q->last_used % q->size);
	u32 head = e[0], len = e[1];
	q->last_used++;
	volatile u8 *b = (volatile u8 *)(d->bufs + 8 * head);
	u16 type = b[0] | b[1] << 8, code = b[2] | b[3] << 8;
	int v = (int)(b[4] | b[5] << 8 | b[6] << 16 | (u32)b[7] << 24);
	if (type == EV_SYN && code == 0 && v == 0 && len == 8)
		printf("%s: syn\n", d->name);
	else
		printf("%s: %x %x %d (%u)\n", d->name, type, code, v, len);
	b[0] = b[1] = b[2] = b[3] = b[4] = b[5] = b[6] = b[7] = 0xee;
	if (repost)
		vpci_submit(&d->p, q, head);
	*value = v;
	return (u32)type << 16 | code;
}

static void syncs(struct dev *d, int n, int repost)
{
	int v;
	while (n > 0)
		if (next_event(d, repost, &v) == EV_SYN)
			n--;
}

/* PS/2 bytes until `last` (printed "ps2 XX"). */
static void ps2_until(u8 last)
{
	for (;;) {
		while (!(inb(KBD_CTL) & 1))
			cpu_relax();
		u8 b = inb(KBD_DATA);
		printf("ps2 %02x\n", b);
		if (b == last)
			return;
	}
}

static void status_event(struct dev *d, u16 head, u32 len, u16 type, u16 code, u32 value, int split)
{
	volatile u8 *b = (volatile u8 *)(d->bufs + 0x800);
	b[0] = type; b[1] = type >> 8; b[2] = code; b[3] = code >> 8;
	b[4] = value; b[5] = value >> 8; b[6] = value >> 16; b[7] = value >> 24;
	for (int i = 8; i < 16; i++)
		b[i] = 0;
	struct vq *q = &d->stq;
	if (split) {
		q->desc[head] = (struct vdesc){ d->bufs + 0x800, 4, VDESC_NEXT, head + 1 };
		q->desc[head + 1] = (struct vdesc){ d->bufs + 0x804, len - 4, 0, 0 };
	} else
		q->desc[head] = (struct vdesc){ d->bufs + 0x800, len, 0, 0 };
	vpci_submit(&d->p, q, head);
	u32 used = vpci_wait_used(q);
	printf("%s: status %x %x %u in %u bytes%s: used %u\n", d->name, type, code, value, len, split ? " (split)" : "", used);
}

void guest_main(void)
{
	int n = 0;
	while (n < 3 && vpci_find_nth(&devs[n].p, 0x1052, n)) {
		devs[n].found = 1;
		n++;
	}
	printf("virtio-input: %d functions\n", n);
	for (int i = 0; i < n; i++)
		probe(&devs[i], i);
	if (!kbd || !mouse || !tablet)
		fail("expected a keyboard, a mouse and a tablet");

	outb(KBD_CTL, 0x60); /* 8042 command byte: translation, no interrupts (polled) */
	outb(KBD_DATA, 0x44);
	while (inb(KBD_CTL) & 1)
		inb(KBD_DATA);
	printf("virtio-input: ps2 keys\n");
	ps2_until(0x9e); /* 'a' released */

	start(kbd, 64);
	printf("virtio-input: keyboard keys\n");
	for (;;) {
		int v;
		u32 ev = next_event(kbd, 1, &v);
		if (ev == ((u32)EV_KEY << 16 | KEY_F12) && v == 0) {
			syncs(kbd, 1, 1);
			break;
		}
	}
	printf("kbd: 8042 %s\n", inb(KBD_CTL) & 1 ? "has a byte" : "empty");

	start(tablet, 64);
	printf("virtio-input: tablet\n");
	syncs(tablet, TABLET_SYNCS, 1);

	start(mouse, 64);
	printf("virtio-input: mouse\n");
	syncs(mouse, MOUSE_SYNCS, 1);

	*(volatile u8 *)(mouse->p.common + VPCI_STATUS) = 0;
	printf("virtio-input: mouse reset\n");
	syncs(tablet, 1, 1);

	start(mouse, 3);
	printf("virtio-input: mouse 3\n");
	syncs(mouse, 1, 0);
	post_more(mouse, 3, 8);
	printf("virtio-input: mouse more\n");
	syncs(mouse, 1, 0);

	printf("virtio-input: leds\n");
	status_event(kbd, 0, 8, EV_LED, 1, 1, 0);
	status_event(kbd, 1, 8, EV_LED, 0, 1, 1);
	status_event(kbd, 3, 4, EV_LED, 2, 1, 0);
	status_event(kbd, 4, 12, EV_LED, 1, 0, 0);
	status_event(kbd, 5, 8, 2, 0, 1, 0);
	status_event(mouse, 0, 8, EV_LED, 2, 1, 0);

	*(volatile u8 *)(kbd->p.common + VPCI_STATUS) = 0;
	printf("virtio-input: ps2 again\n");
	ps2_until(0xb0); /* 'b' released */
	pass();
}
