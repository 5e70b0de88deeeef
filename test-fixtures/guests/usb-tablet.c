/*
 * usb-tablet: a polled xHCI driver just big enough for one HID device, printing on COM1 all it
 * sees so that two VMMs can be compared line by line:
 *  - the xHCI's PCI identity (ids, revision, class, BAR0 size, capability list) and its
 *    capability registers (with the supported-protocol extended capabilities);
 *  - every port's PORTSC after a controller reset, and the port status change events;
 *  - the command completions (slot enable, address, configure; a No-Op; commands that must fail);
 *  - the device's descriptors (device, configuration, strings, the HID report descriptor), the
 *    output contexts after each step, a stalled request and the endpoint recovery after it;
 * then "usb-tablet: reports" and, for each interrupt-IN transfer, the transfer event and the
 * report bytes, until REPORTS reports (or the command line's reports=N) were printed ("ok usb-tablet").
 * The same guest drives a usb-mouse or usb-kbd: it takes the first device connected.
 * Memory: DCBAA 0x500000, command ring 0x501000, event ring 0x502000, ERST 0x503000, input
 * context 0x504000, output context 0x505000, EP0 ring 0x506000, EP1 IN ring 0x507000, data 0x508000.
 */
#include "rt.h"

GUEST_NAME("usb-tablet");

#define REPORTS 9 /* unless the command line says reports=N */
#define BAR_WINDOW 0xe0000000UL

static int pdev, pfn;
static u64 mmio, op, rt, db;
static u32 ports;

static u32 cfg_addr(int off) { return 0x80000000u | pdev << 11 | pfn << 8 | (off & 0xfc); }
static u32 cfg_read32(int off) { outl(0xcf8, cfg_addr(off)); return inl(0xcfc); }
static u8 cfg_read8(int off) { return cfg_read32(off) >> (8 * (off & 3)); }
static void cfg_write32(int off, u32 v) { outl(0xcf8, cfg_addr(off)); outl(0xcfc, v); }

#define R32(a) (*(volatile u32 *)(a))

struct trb { u64 param; u32 status, control; };

static struct trb *cmd_ring = (struct trb *)0x501000UL;
static volatile struct trb *ev_ring = (volatile struct trb *)0x502000UL;
static u32 *erst = (u32 *)0x503000UL;
static u32 *ictx = (u32 *)0x504000UL;
static volatile u32 *octx = (volatile u32 *)0x505000UL;
static struct trb *ep0_ring = (struct trb *)0x506000UL;
static struct trb *ep1_ring = (struct trb *)0x507000UL;
static volatile u8 *data = (volatile u8 *)0x508000UL;
#define RING_TRBS 64
#define EV_TRBS 32

static int cmd_idx, cmd_cycle = 1, ev_idx, ev_cycle = 1, ep0_idx, ep0_cycle = 1, ep1_idx, ep1_cycle = 1;

static int find_xhci(void)
{
	for (pdev = 0; pdev < 32; pdev++) {
		pfn = 0;
		int fns = (cfg_read8(0x0e) & 0x80) ? 8 : 1;
		for (pfn = 0; pfn < fns; pfn++)
			if (cfg_read32(0) != 0xffffffff && (cfg_read32(8) >> 8) == 0x0c0330)
				return 1;
	}
	return 0;
}

static void map_bar0(void)
{
	u32 cmd = cfg_read32(4);
	u32 lo = cfg_read32(0x10), hi = cfg_read32(0x14);
	cfg_write32(4, cmd & ~2u);
	cfg_write32(0x10, 0xffffffff);
	cfg_write32(0x14, 0xffffffff);
	u64 size = ~(((u64)cfg_read32(0x14) << 32) | (cfg_read32(0x10) & ~0xfu)) + 1;
	printf("xhci: bar0 flags %x size %x\n", lo & 0xf, (u32)size);
	u64 a = (lo & ~0xfUL) | (u64)hi << 32;
	if (!a || a >= (1UL << 32))
		a = BAR_WINDOW;
	cfg_write32(0x10, (u32)a | (lo & 0xf));
	cfg_write32(0x14, a >> 32);
	cfg_write32(4, (cmd & 0xffff) | 0x6);
	mmio = a;
}

static void print_pci(void)
{
	u32 id = cfg_read32(0), cls = cfg_read32(8), sub = cfg_read32(0x2c), misc = cfg_read32(0x0c);
	printf("xhci: %04x:%04x rev %u class %06x subsystem %04x:%04x header %02x pin %u sbrn %02x\n", id & 0xffff, id >> 16,
	       cls & 0xff, cls >> 8, sub & 0xffff, sub >> 16, (misc >> 16) & 0xff, cfg_read8(0x3d), cfg_read8(0x60));
	printf("xhci: status %04x caps", cfg_read32(4) >> 16);
	int ptr = cfg_read8(0x34);
	for (int n = 0; ptr && n < 16; n++) {
		printf(" %02x@%02x", cfg_read8(ptr), ptr);
		if (cfg_read8(ptr) == 0x11)
			printf("(%04x %08x %08x)", cfg_read32(ptr) >> 16, cfg_read32(ptr + 4), cfg_read32(ptr + 8));
		ptr = cfg_read8(ptr + 1);
	}
	printf("\n");
	/* the whole config space but the command register, the BAR addresses and the interrupt line
	 * (firmware's choices: jvirt's kernel boot places and enables BARs as firmware would) */
	printf("xhci: config");
	for (int o = 0; o < 256; o++) {
		if (o % 32 == 0)
			printf("\n ");
		if ((o >= 0x10 && o < 0x18) || o == 0x3c || o == 4 || o == 5)
			printf(" ..");
		else
			printf(" %02x", cfg_read8(o));
	}
	printf("\n");
}

static void print_caps(void)
{
	printf("xhci: cap");
	for (int o = 0; o < 0x40; o += 4)
		printf(" %08x", R32(mmio + o));
	printf("\n");
	u32 cap = R32(mmio);
	op = mmio + (cap & 0xff);
	rt = mmio + (R32(mmio + 0x18) & ~0x1fu);
	db = mmio + (R32(mmio + 0x14) & ~0x3u);
	ports = R32(mmio + 4) >> 24;
}

static volatile struct trb *next_event(void)
{
	u64 t0 = rdtsc();
	volatile struct trb *e = &ev_ring[ev_idx];
	while ((e->control & 1) != (u32)ev_cycle) {
		cpu_relax();
		if (rdtsc() - t0 > 40000000000UL)
			fail("no event (usbsts %x)", R32(op + 4));
	}
	return e;
}

static void consume_event(void)
{
	if (++ev_idx == EV_TRBS) {
		ev_idx = 0;
		ev_cycle ^= 1;
	}
	u64 erdp = 0x502000UL + 16 * ev_idx;
	R32(rt + 0x38) = (u32)erdp | 8; /* EHB cleared */
	R32(rt + 0x3c) = erdp >> 32;
}

static const char *type_name(u32 t)
{
	switch (t) {
	case 32: return "transfer";
	case 33: return "command";
	case 34: return "port";
	case 37: return "host";
	default: return "other";
	}
}

/* One event, printed; returns its completion code. */
static u32 event(u64 *param, u32 *status, u32 *control)
{
	volatile struct trb *e = next_event();
	u64 p = e->param;
	u32 s = e->status, c = e->control;
	consume_event();
	u32 type = (c >> 10) & 0x3f;
	printf("event %s cc %u", type_name(type), s >> 24);
	if (type == 34)
		printf(" port %u", (u32)(p >> 24));
	else if (type == 33)
		printf(" trb %u slot %u", (u32)((p - 0x501000UL) / 16), c >> 24);
	else if (type == 32)
		printf(" ep %u slot %u len %u trb %x", (c >> 16) & 0x1f, c >> 24, s & 0xffffff, (u32)(p & 0xfff));
	printf("\n");
	if (param)
		*param = p;
	if (status)
		*status = s;
	if (control)
		*control = c;
	return s >> 24;
}

static void ring_put(struct trb *ring, int *idx, int *cycle, u64 param, u32 status, u32 control)
{
	struct trb *t = &ring[*idx];
	t->param = param;
	t->status = status;
	barrier();
	t->control = control | (u32)*cycle;
	if (++*idx == RING_TRBS - 1) { /* the link TRB back to the start, toggling the cycle */
		struct trb *l = &ring[RING_TRBS - 1];
		l->param = (u64)ring;
		l->status = 0;
		barrier();
		l->control = (6u << 10) | 2 | (u32)*cycle;
		*idx = 0;
		*cycle ^= 1;
	}
}

/* A command, its completion printed; returns the completion code and the slot in *slot. */
static u32 command(const char *name, u64 param, u32 status, u32 control, u32 *slot)
{
	printf("cmd %s\n", name);
	ring_put(cmd_ring, &cmd_idx, &cmd_cycle, param, status, control);
	R32(db) = 0;
	u32 c;
	u32 cc = event(NULL, NULL, &c);
	if (slot)
		*slot = c >> 24;
	return cc;
}

static u32 slot_id;

static void print_octx(const char *what, int eps)
{
	printf("octx %s: slot %08x %08x %08x %08x", what, octx[0], octx[1], octx[2], octx[3]);
	for (int e = 1; e <= eps; e++)
		printf(" | ep%d %08x %08x %08x %08x %08x", e, octx[8 * e], octx[8 * e + 1], octx[8 * e + 2], octx[8 * e + 3], octx[8 * e + 4]);
	printf("\n");
}

static u32 slot_id;

static void recover_ep0(void);

/*
 * A control transfer on EP0: setup, a data stage when len (IN: IOC|ISP, its event gives the
 * length), status with IOC. Returns the last event's code (a stall ends it at the setup TRB and
 * the endpoint is recovered); *got is the data stage's length.
 */
static u32 control(u8 type, u8 req, u16 value, u16 index, u16 len, int *got)
{
	u64 setup = type | (u64)req << 8 | (u64)value << 16 | (u64)index << 32 | (u64)len << 48;
	int in = type & 0x80;
	u32 trt = !len ? 0 : in ? 3 : 2;
	for (int i = 0; i < 512; i++)
		data[i] = 0xee;
	ring_put(ep0_ring, &ep0_idx, &ep0_cycle, setup, 8, (2u << 10) | (1 << 6) | trt << 16);
	if (len)
		ring_put(ep0_ring, &ep0_idx, &ep0_cycle, 0x508000UL, len, (3u << 10) | (in ? 1u << 16 | 1 << 5 | 1 << 2 : 0));
	ring_put(ep0_ring, &ep0_idx, &ep0_cycle, 0, 0, (4u << 10) | (1 << 5) | (in && len ? 0 : 1u << 16));
	R32(db + 4 * slot_id) = 1;
	u32 s = 0;
	u32 cc = event(NULL, &s, NULL);
	if (got)
		*got = 0;
	if (in && len && (cc == 1 || cc == 13)) {
		if (got)
			*got = len - (s & 0xffffff);
		cc = event(NULL, NULL, NULL);
	}
	if (cc == 6)
		recover_ep0();
	return cc;
}

static void dump(const char *what, int n)
{
	printf("%s (%d):", what, n);
	for (int i = 0; i < n; i++)
		printf("%s%02x", i && i % 32 == 0 ? "\n " : " ", data[i]);
	printf("\n");
}

static int control_in(const char *what, u8 type, u8 req, u16 value, u16 index, u16 len)
{
	int n;
	u32 cc = control(type, req, value, index, len, &n);
	if (cc == 1)
		dump(what, n);
	else
		printf("%s: cc %u\n", what, cc);
	return n;
}

static int get_descriptor(const char *what, u8 type, u16 value, u16 index, u16 len)
{
	return control_in(what, type, 6, value, index, len);
}

static void print_string(int index)
{
	get_descriptor("string", 0x80, 0x0300 | index, index ? 0x0409 : 0, 255);
}

static void input_ctx_clear(void)
{
	for (int i = 0; i < 33 * 8; i++)
		ictx[i] = 0;
}

/* After a stall: Reset Endpoint, then the dequeue pointer past the stalled TD. */
static void recover_ep0(void)
{
	print_octx("stalled", 1);
	command("reset endpoint 1", 0, 0, 14u << 10 | 1u << 16 | slot_id << 24, NULL);
	print_octx("reset", 1);
	u64 deq = 0x506000UL + 16 * ep0_idx;
	command("set tr dequeue", deq | (u32)ep0_cycle, 0, 16u << 10 | 1u << 16 | slot_id << 24, NULL);
	print_octx("dequeue set", 1);
}

void guest_main(void)
{
	if (!find_xhci())
		fail("no xHCI");
	printf("usb-tablet: xhci at %02x.%x\n", pdev, pfn);
	print_pci();
	map_bar0();
	print_caps();

	R32(op) = 2; /* HCRST */
	u64 t0 = rdtsc();
	while ((R32(op) & 2) || (R32(op + 4) & (1 << 11)))
		if (rdtsc() - t0 > 40000000000UL)
			fail("reset did not finish");
	printf("xhci: after reset usbcmd %x usbsts %x pagesize %x config %x\n", R32(op), R32(op + 4), R32(op + 8), R32(op + 0x38));
	for (u32 p = 0; p < ports; p++)
		printf("port %u: %08x\n", p + 1, R32(op + 0x400 + 0x10 * p));

	memset((void *)0x500000UL, 0, 0x10000);
	R32(op + 0x38) = 8; /* MaxSlotsEn */
	*(volatile u64 *)0x500000UL = 0;
	*(volatile u64 *)(0x500000UL + 8) = 0x505000UL; /* slot 1's output context (the only slot used) */
	R32(op + 0x30) = 0x500000;
	R32(op + 0x34) = 0;
	R32(op + 0x18) = 0x501000 | 1;
	R32(op + 0x1c) = 0;
	erst[0] = 0x502000;
	erst[1] = 0;
	erst[2] = EV_TRBS;
	erst[3] = 0;
	R32(rt + 0x28) = 1;            /* ERSTSZ */
	R32(rt + 0x38) = 0x502000;     /* ERDP */
	R32(rt + 0x3c) = 0;
	R32(rt + 0x30) = 0x503000;     /* ERSTBA */
	R32(rt + 0x34) = 0;
	printf("xhci: interrupter 0: iman %x erstsz %x erstba %x erdp %x\n", R32(rt + 0x20), R32(rt + 0x28), R32(rt + 0x30), R32(rt + 0x38));
	R32(op) = 1; /* run */
	printf("xhci: running usbcmd %x usbsts %x crcr %x\n", R32(op), R32(op + 4), R32(op + 0x18));

	u32 port = 0;
	for (u32 p = 0; p < ports && !port; p++)
		if (R32(op + 0x400 + 0x10 * p) & 1)
			port = p + 1;
	if (!port)
		fail("no device connected");
	u64 psc = op + 0x400 + 0x10 * (port - 1);
	R32(psc) = (R32(psc) & 0x0e00c3e0) | (1 << 17); /* clear CSC */
	printf("port %u: connected, %08x\n", port, R32(psc));
	R32(psc) = (R32(psc) & 0x0e00c3e0) | (1 << 4); /* reset */
	event(NULL, NULL, NULL);
	printf("port %u: after reset %08x\n", port, R32(psc));
	R32(psc) = (R32(psc) & 0x0e00c3e0) | (1 << 21); /* clear PRC */
	printf("port %u: PRC cleared %08x\n", port, R32(psc));
	u32 speed = (R32(psc) >> 10) & 0xf;

	command("no-op", 0, 0, 23u << 10, NULL);
	command("unknown type 19", 0, 0, 19u << 10, NULL);
	command("disable slot 0", 0, 0, 10u << 10, NULL);
	command("disable slot 5 (not enabled)", 0, 0, 10u << 10 | 5u << 24, NULL);
	command("enable slot", 0, 0, 9u << 10, &slot_id);
	if (slot_id != 1)
		fail("slot %u", slot_id);

	/* Address Device with a bad input control context first */
	input_ctx_clear();
	ictx[1] = 1;
	command("address device (bad add flags)", 0x504000UL, 0, 11u << 10 | slot_id << 24, NULL);
	input_ctx_clear();
	ictx[1] = 3;
	ictx[8] = 1u << 27;                              /* slot: 1 context entry, route 0 */
	ictx[8] |= speed << 20;
	ictx[9] = port << 16;                            /* root hub port */
	u32 mps0 = speed == 4 ? 512 : speed == 3 ? 64 : 8;
	ictx[16 + 1] = 3 << 1 | 4 << 3 | mps0 << 16;    /* EP0: CErr 3, control, MPS */
	ictx[16 + 2] = 0x506000 | 1;
	ictx[16 + 3] = 0;
	ictx[16 + 4] = 8;
	command("address device", 0x504000UL, 0, 11u << 10 | slot_id << 24, NULL);
	print_octx("addressed", 1);

	int n = get_descriptor("device", 0x80, 0x0100, 0, 18);
	if (n < 18)
		fail("short device descriptor");
	u8 iman = data[14], iprod = data[15], iser = data[16];
	n = get_descriptor("config head", 0x80, 0x0200, 0, 9);
	u16 total = data[2] | data[3] << 8;
	n = get_descriptor("config", 0x80, 0x0200, 0, total);
	u16 report_len = 0;
	u8 ep_addr = 0, ep_mps = 0, ep_interval = 0;
	for (int i = 0; i < n && data[i]; i += data[i]) {
		if (data[i + 1] == 0x21)
			report_len = data[i + 7] | data[i + 8] << 8;
		if (data[i + 1] == 5) {
			ep_addr = data[i + 2];
			ep_mps = data[i + 4];
			ep_interval = data[i + 6];
		}
	}
	u8 iconf = 0;
	get_descriptor("config head", 0x80, 0x0200, 0, 9);
	iconf = data[6];
	print_string(0);
	print_string(iman);
	print_string(iprod);
	print_string(iser);
	print_string(iconf);
	print_string(9);
	print_string(0x20);
	get_descriptor("device qualifier", 0x80, 0x0600, 0, 10);
	get_descriptor("hid report", 0x81, 0x2200, 0, report_len);
	get_descriptor("device (8 bytes)", 0x80, 0x0100, 0, 8);

	/* an unknown request: stalled; the endpoint halts until it is reset and moved past the TD */
	control_in("vendor request", 0xc0, 0x55, 0, 0, 4);
	control_in("get status", 0x80, 0, 0, 0, 2);
	printf("set configuration: cc %u\n", control(0x00, 9, 1, 0, 0, NULL));
	control_in("get configuration", 0x80, 8, 0, 0, 1);
	printf("set idle: cc %u\n", control(0x21, 0x0a, 0, 0, 0, NULL));
	printf("set protocol: cc %u\n", control(0x21, 0x0b, 0, 0, 0, NULL));
	printf("set report: cc %u\n", control(0x21, 0x09, 0x0200, 0, 1, NULL));
	control_in("get report", 0xa1, 0x01, 0x0100, 0, 8);
	control_in("get idle", 0xa1, 0x02, 0, 0, 1);
	control_in("get protocol", 0xa1, 0x03, 0, 0, 1);

	/* Configure Endpoint: EP1 IN interrupt (DCI 3) */
	input_ctx_clear();
	ictx[1] = 1 | 1 << 3;
	ictx[8] = 3u << 27 | speed << 20;
	ictx[9] = port << 16;
	u32 dci = (ep_addr & 0xf) * 2 + 1;
	u32 interval = speed >= 3 ? ep_interval - 1 : 3;
	ictx[8 * (dci + 1)] = interval << 16;
	ictx[8 * (dci + 1) + 1] = 3 << 1 | 7 << 3 | (u32)ep_mps << 16;
	ictx[8 * (dci + 1) + 2] = 0x507000 | 1;
	ictx[8 * (dci + 1) + 4] = ep_mps;
	command("configure endpoint", 0x504000UL, 0, 12u << 10 | slot_id << 24, NULL);
	print_octx("configured", 3);
	command("reset endpoint 3 (running)", 0, 0, 14u << 10 | dci << 16 | slot_id << 24, NULL);
	command("stop endpoint 5 (not enabled)", 0, 0, 15u << 10 | 5u << 16 | slot_id << 24, NULL);
	command("evaluate context", 0x504000UL, 0, 13u << 10 | slot_id << 24, NULL);

	int reports = (int)cmdline_number("reports", REPORTS);
	printf("usb-tablet: reports\n");
	for (int r = 0; r < reports; r++) {
		for (int i = 0; i < 8; i++)
			data[0x100 + i] = 0xee;
		ring_put(ep1_ring, &ep1_idx, &ep1_cycle, 0x508100UL, 8, (1u << 10) | (1 << 5) | (1 << 2));
		R32(db + 4 * slot_id) = dci;
		u32 s;
		event(NULL, &s, NULL);
		int len = 8 - (s & 0xffffff);
		printf("report %d:", r);
		for (int i = 0; i < len; i++)
			printf(" %02x", data[0x100 + i]);
		printf("\n");
	}
	command("stop endpoint 3", 0, 0, 15u << 10 | dci << 16 | slot_id << 24, NULL);
	print_octx("stopped", 3);
	command("reset device", 0, 0, 17u << 10 | slot_id << 24, NULL);
	print_octx("reset device", 3);
	command("disable slot", 0, 0, 10u << 10 | slot_id << 24, NULL);
	R32(op) = 0;
	t0 = rdtsc();
	while (!(R32(op + 4) & 1))
		if (rdtsc() - t0 > 40000000000UL)
			fail("did not halt");
	printf("xhci: halted usbsts %x\n", R32(op + 4));
	pass();
}
