/*
 * virtio-net: a polled virtio-net driver (modern PCI transport, 1af4:1041) that answers ARP
 * requests and ICMP echo requests for its IPv4 address, as a tiny host on the wire:
 *  - ip=A.B.C.D on the command line (default 10.0.0.2); peer=A.B.C.D: also pings that host
 *    (ARP, then ICMP echo) until it answers and prints "virtio-net: peer A.B.C.D answered";
 *  - negotiates VERSION_1, MAC, STATUS and MRG_RXBUF when offered (no offloads: every frame
 *    it sends is complete), 16 receive buffers of 2 KiB, one transmit buffer;
 *  - prints "virtio-net: device at 00:SS.F" (where it found the function), then
 *    "virtio-net: ready ip A.B.C.D mac M" once its receive queue is filled, and
 *    "virtio-net: link up|down" whenever the config status changes. Runs until killed.
 * Memory: queues at 0x400000 (rx) and 0x404000 (tx), buffers from 0x410000.
 */
#include "rt.h"
#include "virtio_pci.h"

GUEST_NAME("virtio-net");

#define RXQ 0x400000UL
#define TXQ 0x404000UL
#define RXBUF 0x410000UL
#define TXBUF 0x420000UL
#define NRX 16
#define BUFSZ 2048
#define HDR 12
#define F_MAC (1u << 5)
#define F_MRG_RXBUF (1u << 15)
#define F_STATUS (1u << 16)

/* ---- the device, through runtime/virtio_pci ---- */
static struct vpci net;
static struct vq rxq, txq;

/* ---- frames ---- */
static u8 mac[6];
static u8 my_ip[4] = {10, 0, 0, 2}, peer_ip[4], peer_mac[6];
static int has_peer, peer_mac_known, peer_answered;
static u8 *tx = (u8 *)TXBUF;

static void send(u32 len)
{
	memset(tx, 0, HDR);
	txq.desc[0] = (struct vdesc){ TXBUF, HDR + len, 0, 0 };
	vpci_submit(&net, &txq, 0);
	u64 t0 = rdtsc();
	while (txq.used[1] != txq.avail_idx)
		if (rdtsc() - t0 > (10UL << 30))
			fail("transmit: no completion");
	barrier();
}

static u16 be16(const u8 *p) { return p[0] << 8 | p[1]; }
static void put16(u8 *p, u16 v) { p[0] = v >> 8; p[1] = v; }

static u16 checksum(const u8 *p, u32 len)
{
	u32 s = 0;
	for (u32 i = 0; i + 1 < len; i += 2)
		s += be16(p + i);
	if (len & 1)
		s += p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static void arp(const u8 *target_mac, const u8 *target_ip, u16 op, const u8 *dst)
{
	u8 *e = tx + HDR;
	memcpy(e, dst, 6);
	memcpy(e + 6, mac, 6);
	put16(e + 12, 0x0806);
	u8 *a = e + 14;
	put16(a, 1);            /* Ethernet */
	put16(a + 2, 0x0800);   /* IPv4 */
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, mac, 6);
	memcpy(a + 14, my_ip, 4);
	memcpy(a + 18, target_mac, 6);
	memcpy(a + 24, target_ip, 4);
	send(60);               /* padded to the Ethernet minimum */
}

static void echo_request(u16 seq)
{
	u8 *e = tx + HDR;
	memcpy(e, peer_mac, 6);
	memcpy(e + 6, mac, 6);
	put16(e + 12, 0x0800);
	u8 *ip = e + 14;
	memset(ip, 0, 20 + 8 + 32);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + 32);
	ip[8] = 64;
	ip[9] = 1;
	memcpy(ip + 12, my_ip, 4);
	memcpy(ip + 16, peer_ip, 4);
	put16(ip + 10, checksum(ip, 20));
	u8 *icmp = ip + 20;
	icmp[0] = 8;
	put16(icmp + 4, 0x4a56);
	put16(icmp + 6, seq);
	for (int i = 0; i < 32; i++)
		icmp[8 + i] = i;
	put16(icmp + 2, checksum(icmp, 8 + 32));
	send(14 + 20 + 8 + 32);
}

static void print_ip(const char *what, const u8 *ip)
{
	printf("%s%u.%u.%u.%u", what, ip[0], ip[1], ip[2], ip[3]);
}

static void handle(u8 *e, u32 len)
{
	if (len < 14 + 28)
		return;
	u16 type = be16(e + 12);
	if (type == 0x0806) {
		u8 *a = e + 14;
		if (be16(a + 6) == 1 && !memcmp(a + 24, my_ip, 4))
			arp(a + 8, a + 14, 2, a + 8);
		else if (be16(a + 6) == 2 && has_peer && !memcmp(a + 14, peer_ip, 4)) {
			memcpy(peer_mac, a + 8, 6);
			peer_mac_known = 1;
		}
		return;
	}
	if (type != 0x0800)
		return;
	u8 *ip = e + 14;
	u32 ihl = (ip[0] & 0xf) * 4;
	u32 total = be16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || total < ihl + 8 || 14 + total > len || ip[9] != 1 || memcmp(ip + 16, my_ip, 4))
		return;
	u8 *icmp = ip + ihl;
	if (icmp[0] == 0 && has_peer && !memcmp(ip + 12, peer_ip, 4)) {
		if (!peer_answered) {
			print_ip("virtio-net: peer ", peer_ip);
			printf(" answered\n");
		}
		peer_answered = 1;
		return;
	}
	if (icmp[0] != 8)
		return;
	/* echo reply: the request with the addresses swapped */
	u8 *r = tx + HDR;
	if (14 + total > BUFSZ - HDR)
		return;
	memcpy(r, e + 6, 6);
	memcpy(r + 6, mac, 6);
	put16(r + 12, 0x0800);
	memcpy(r + 14, ip, total);
	u8 *rip = r + 14;
	memcpy(rip + 12, my_ip, 4);
	memcpy(rip + 16, ip + 12, 4);
	rip[8] = 64;
	put16(rip + 10, 0);
	put16(rip + 10, checksum(rip, ihl));
	u8 *ricmp = rip + ihl;
	ricmp[0] = 0;
	put16(ricmp + 2, 0);
	put16(ricmp + 2, checksum(ricmp, total - ihl));
	send(14 + total < 60 ? 60 : 14 + total);
}

/* ---- command line: ip=A.B.C.D, peer=A.B.C.D ---- */
static int cmdline_ip(const char *key, u8 *out)
{
	struct hvm_start_info *si = (struct hvm_start_info *)pvh_start_info;
	if (!si || si->magic != HVM_START_MAGIC || !si->cmdline_paddr)
		return 0;
	const char *s = (const char *)si->cmdline_paddr;
	size_t klen = strlen(key);
	for (const char *p = s; *p; p++) {
		if ((p == s || p[-1] == ' ') && !memcmp(p, key, klen) && p[klen] == '=') {
			p += klen + 1;
			for (int i = 0; i < 4; i++) {
				u32 v = 0;
				int digits = 0;
				for (; *p >= '0' && *p <= '9'; p++, digits++)
					v = v * 10 + (u32)(*p - '0');
				if (!digits || v > 255 || (i < 3 && *p++ != '.'))
					fail("bad %s= on the command line", key);
				out[i] = v;
			}
			return 1;
		}
	}
	return 0;
}

void guest_main(void)
{
	cmdline_ip("ip", my_ip);
	has_peer = cmdline_ip("peer", peer_ip);
	if (!vpci_find(&net, 0x1041))
		fail("no virtio-net PCI device (1af4:1041) on bus 0");
	printf("virtio-net: device at 00:%02x.%x\n", net.dev, net.fn);
	u32 f_lo = vpci_negotiate(&net, F_MAC | F_STATUS | F_MRG_RXBUF);
	if (!(f_lo & F_MAC))
		fail("device does not offer VIRTIO_NET_F_MAC");
	vpci_queue(&net, &rxq, 0, RXQ, NRX);
	vpci_queue(&net, &txq, 1, TXQ, NRX);
	vpci_ready(&net);
	u64 devcfg = net.devcfg;
	for (int i = 0; i < 6; i++)
		mac[i] = *(volatile u8 *)(devcfg + i);
	int has_status = (f_lo & F_STATUS) != 0;
	int link = has_status ? *(volatile u16 *)(devcfg + 6) & 1 : 1;

	for (int i = 0; i < rxq.size; i++) {
		rxq.desc[i] = (struct vdesc){ RXBUF + (u64)i * BUFSZ, BUFSZ, VDESC_WRITE, 0 };
		vpci_submit(&net, &rxq, i);
	}
	print_ip("virtio-net: ready ip ", my_ip);
	printf(" mac %02x:%02x:%02x:%02x:%02x:%02x link %s\n", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], link ? "up" : "down");

	u64 last_probe = 0;
	u16 seq = 0;
	for (;;) {
		if (has_status) {
			int now = *(volatile u16 *)(devcfg + 6) & 1;
			if (now != link)
				printf("virtio-net: link %s\n", now ? "up" : "down");
			link = now;
		}
		while (rxq.last_used != rxq.used[1]) {
			barrier();
			volatile u32 *elem = (volatile u32 *)(rxq.used + 2) + 2 * (rxq.last_used % rxq.size);
			u32 id = elem[0], len = elem[1];
			rxq.last_used++;
			if (id >= rxq.size || len > BUFSZ)
				fail("bad used element id %u len %u", id, len);
			u8 *buf = (u8 *)(RXBUF + (u64)id * BUFSZ);
			if (len > HDR && (!(f_lo & F_MRG_RXBUF) || (buf[10] | buf[11] << 8) == 1))
				handle(buf + HDR, len - HDR);
			vpci_submit(&net, &rxq, id);
		}
		if (has_peer && !peer_answered && rdtsc() - last_probe > (1UL << 30)) {
			last_probe = rdtsc();
			if (!peer_mac_known) {
				static const u8 zero[6], bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
				arp(zero, peer_ip, 1, bcast);
			} else {
				echo_request(seq++);
			}
		}
		cpu_relax();
	}
}
