/*
 * virtio-gpu: drives a virtio-gpu 2D device (modern PCI, 1af4:1050) through its control queue,
 * polled, and prints every answer on COM1 so that two VMMs can be compared line by line:
 *  - the display info of scanout 0 and, when VIRTIO_GPU_F_EDID is offered, the EDID's size and a
 *    checksum of its 1024 bytes;
 *  - a 640x480 resource (format=N on the command line, default 2: B8G8R8X8) backed by two
 *    scattered guest buffers, filled with a gradient and moved to the host in one transfer, then a
 *    white box redrawn and moved with a sub-rectangle transfer (offset, x, y), shown on scanout 0
 *    and flushed;
 *  - the responses to requests the device must refuse (resource id 0, an existing id, a bad
 *    format, scanout 7, a transfer outside the resource, an unknown command, a request with its header alone);
 * then "virtio-gpu: drawn" and it waits (spinning) for the host's screendump.
 * Memory: control queue at 0x400000, request at 0x404000, response at 0x405000, backing at
 * 0x800000 (the first 300 lines) and 0xa00000 (the rest).
 */
#include "rt.h"
#include "virtio_pci.h"

GUEST_NAME("virtio-gpu");

#define CTRLQ 0x400000UL
#define REQ 0x404000UL
#define RESP 0x405000UL
#define BACK0 0x800000UL
#define BACK1 0xa00000UL
#define W 640
#define H 480
#define SPLIT_LINES 300
#define F_EDID (1u << 1)

enum { GET_DISPLAY_INFO = 0x100, RESOURCE_CREATE_2D, RESOURCE_UNREF, SET_SCANOUT, RESOURCE_FLUSH, TRANSFER_TO_HOST_2D,
       RESOURCE_ATTACH_BACKING, RESOURCE_DETACH_BACKING, GET_EDID = 0x10a };

static struct vpci gpu;
static struct vq ctrl;
static volatile u32 *req = (volatile u32 *)REQ;
static volatile u32 *resp = (volatile u32 *)RESP;

/* Sends the request (len bytes at REQ, header first) and returns the response's type. */
static u32 command(u32 type, u32 len, u32 resp_len)
{
	req[0] = type;
	req[1] = 0;
	req[2] = req[3] = req[4] = req[5] = 0;
	memset((void *)RESP, 0xee, resp_len);
	ctrl.desc[0] = (struct vdesc){ REQ, len, VDESC_NEXT, 1 };
	ctrl.desc[1] = (struct vdesc){ RESP, resp_len, VDESC_WRITE, 0 };
	vpci_submit(&gpu, &ctrl, 0);
	u32 written = vpci_wait_used(&ctrl);
	printf("virtio-gpu: command 0x%x -> 0x%x (%u bytes)\n", type, resp[0], written);
	return resp[0];
}

static void rect(int at, u32 x, u32 y, u32 w, u32 h)
{
	req[at] = x;
	req[at + 1] = y;
	req[at + 2] = w;
	req[at + 3] = h;
}

static void create(u32 id, u32 format, u32 w, u32 h)
{
	req[6] = id;
	req[7] = format;
	req[8] = w;
	req[9] = h;
	command(RESOURCE_CREATE_2D, 40, 24);
}

static void transfer(u32 x, u32 y, u32 w, u32 h, u64 offset, u32 id)
{
	rect(6, x, y, w, h);
	req[10] = (u32)offset;
	req[11] = offset >> 32;
	req[12] = id;
	req[13] = 0;
	command(TRANSFER_TO_HOST_2D, 56, 24);
}

/* The byte at offset o of the resource's backing (two scattered pieces). */
static volatile u8 *backing(u64 o)
{
	u64 first = (u64)SPLIT_LINES * W * 4;
	return (volatile u8 *)(o < first ? BACK0 + o : BACK1 + (o - first));
}

static void pixel(u32 x, u32 y, u8 b0, u8 b1, u8 b2, u8 b3)
{
	volatile u8 *p = backing(((u64)y * W + x) * 4);
	p[0] = b0;
	p[1] = b1;
	p[2] = b2;
	p[3] = b3;
}

void guest_main(void)
{
	u32 format = cmdline_number("format", 2);
	if (!vpci_find(&gpu, 0x1050))
		fail("no virtio-gpu PCI device (1af4:1050) on bus 0");
	printf("virtio-gpu: device at 00:%02x.%x\n", gpu.dev, gpu.fn);
	u32 offered = vpci_negotiate(&gpu, F_EDID);
	vpci_queue(&gpu, &ctrl, 0, CTRLQ, 16);
	vpci_ready(&gpu);
	volatile u32 *cfg = (volatile u32 *)gpu.devcfg;
	printf("virtio-gpu: edid %s, scanouts %u, capsets %u, events %u\n", offered & F_EDID ? "offered" : "not offered",
	       cfg[2], cfg[3], cfg[0]);

	command(GET_DISPLAY_INFO, 24, 408);
	printf("virtio-gpu: scanout 0 %ux%u+%u+%u enabled %u flags %u\n", resp[8], resp[9], resp[6], resp[7], resp[10], resp[11]);
	if (offered & F_EDID) {
		req[6] = 0;
		req[7] = 0;
		command(GET_EDID, 32, 1056);
		u32 sum = 0, hash = 0;
		volatile u8 *e = (volatile u8 *)(RESP + 32);
		for (int i = 0; i < 1024; i++) {
			sum += e[i];
			hash = hash * 31 + e[i];
		}
		printf("virtio-gpu: edid size %u sum %u hash 0x%x\n", resp[6], sum, hash);
	}

	create(1, format, W, H);
	req[6] = 1; /* attach backing: resource 1, two entries */
	req[7] = 2;
	volatile u64 *entries = (volatile u64 *)(REQ + 32);
	entries[0] = BACK0;
	entries[1] = (u64)SPLIT_LINES * W * 4;
	entries[2] = BACK1;
	entries[3] = (u64)(H - SPLIT_LINES) * W * 4;
	command(RESOURCE_ATTACH_BACKING, 64, 24);

	for (u32 y = 0; y < H; y++)
		for (u32 x = 0; x < W; x++)
			pixel(x, y, x * 255 / (W - 1), y * 255 / (H - 1), (x + y) & 0xff, (x ^ y) & 0xff);
	transfer(0, 0, W, H, 0, 1);
	for (u32 y = 150; y < 200; y++)
		for (u32 x = 200; x < 300; x++)
			pixel(x, y, 0xff, 0xff, 0xff, 0xff);
	transfer(200, 150, 100, 50, ((u64)150 * W + 200) * 4, 1);
	/* a sub-rectangle whose offset does not match its place: QEMU copies line by line from offset */
	transfer(400, 300, 64, 32, 0, 1);
	rect(6, 0, 0, W, H);
	req[10] = 0;
	req[11] = 1;
	command(SET_SCANOUT, 48, 24);
	rect(6, 0, 0, W, H);
	req[10] = 1;
	req[11] = 0;
	command(RESOURCE_FLUSH, 48, 24);

	printf("virtio-gpu: refusals\n");
	create(0, format, 64, 64);
	create(1, format, 64, 64);
	create(2, 99, 64, 64);
	rect(6, 0, 0, W, H);
	req[10] = 7;
	req[11] = 1;
	command(SET_SCANOUT, 48, 24);
	transfer(600, 0, 64, 64, 0, 1);
	transfer(0, 0, 16, 16, 0, 9);
	command(0x999, 24, 24);
	command(RESOURCE_CREATE_2D, 24, 24); /* the header alone */
	printf("virtio-gpu: drawn\n");
	for (;;)
		__asm__ volatile("pause");
}
