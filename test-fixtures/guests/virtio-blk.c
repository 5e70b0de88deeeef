/*
 * virtio-blk: drives a virtio-blk PCI device with the runtime's polled driver
 * (runtime/virtio_blk.c: modern transport, one split virtqueue at 0x300000):
 *  - reads sector 0 and expects "JVIRT-DISK-0" then byte i = i & 0xff;
 *  - writes sector 1 = "WRITTEN-BY-GUEST" then byte i = 0xff - (i & 0xff),
 *    reads it back, and flushes if VIRTIO_BLK_F_FLUSH is offered.
 */
#include "virtio_blk.h"

GUEST_NAME("virtio-blk");

void guest_main(void)
{
	struct vblk dev;
	vblk_init(&dev);
	u8 *data = vblk_data;
	printf("virtio-blk: capacity %lu sectors, queue size %u, flush %s\n",
	       dev.capacity, dev.qsize, dev.has_flush ? "offered" : "not offered");
	if (dev.capacity < 2)
		fail("disk too small (%lu sectors)", dev.capacity);

	u8 st = vblk_request(VBLK_T_IN, 0);
	if (st)
		fail("read of sector 0: status %u", st);
	if (memcmp(data, "JVIRT-DISK-0", 12))
		fail("sector 0 does not start with JVIRT-DISK-0");
	for (int i = 12; i < 512; i++)
		if (data[i] != (i & 0xff))
			fail("sector 0 byte %d is 0x%x, expected 0x%x", i, data[i], i & 0xff);
	printf("virtio-blk: sector 0 has the expected pattern\n");

	memcpy(data, "WRITTEN-BY-GUEST", 16);
	for (int i = 16; i < 512; i++)
		data[i] = 0xff - (i & 0xff);
	if ((st = vblk_request(VBLK_T_OUT, 1)))
		fail("write of sector 1: status %u", st);
	memset(data, 0, 512);
	if ((st = vblk_request(VBLK_T_IN, 1)))
		fail("read back of sector 1: status %u", st);
	if (memcmp(data, "WRITTEN-BY-GUEST", 16) || data[511] != 0xff - (511 & 0xff))
		fail("sector 1 read back differs from what was written");
	if (dev.has_flush && (st = vblk_request(VBLK_T_FLUSH, 0)))
		fail("flush: status %u", st);
	printf("virtio-blk: wrote sector 1 and read it back%s\n", dev.has_flush ? ", flushed" : "");
}
