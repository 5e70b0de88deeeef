/*
 * A polled virtio-blk driver for the test guests (virtio 1.x modern PCI transport, one split
 * virtqueue at VBLK_RING_BASE, no interrupts), run from CPL3. Any setup problem ends the guest
 * with fail().
 */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include "rt.h"

#define VBLK_RING_BASE 0x300000UL   /* desc; avail at +0x1000, used at +0x2000 */
#define VBLK_BUF_BASE  0x303000UL   /* request header; data at +0x1000, status at +0x2000 */

#define VBLK_T_IN 0
#define VBLK_T_OUT 1
#define VBLK_T_FLUSH 4

struct vblk {
	u64 capacity;       /* in 512-byte sectors */
	int has_flush;      /* VIRTIO_BLK_F_FLUSH offered (and negotiated) */
	u16 qsize;
};

/* The 512-byte data buffer of every request. */
#define vblk_data ((u8 *)(VBLK_BUF_BASE + 0x1000))

/* Finds the device (1af4:1042 or 1af4:1001 on bus 0), negotiates VERSION_1 (+ FLUSH), sets up queue 0. */
void vblk_init(struct vblk *dev);

/* One request on vblk_data (one sector; none for a flush), polled to completion: the status byte. */
u8 vblk_request(u32 type, u64 sector);

#endif
