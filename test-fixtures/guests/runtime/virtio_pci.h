/*
 * The virtio 1.x modern PCI transport for polled test-guest drivers: find a function on bus 0,
 * map its capabilities (BARs placed from 0xe0000000 when firmware left them unassigned), set up
 * split virtqueues, post and kick. Any setup problem ends the guest with fail().
 */
#ifndef VIRTIO_PCI_H
#define VIRTIO_PCI_H

#include "rt.h"

struct vpci {
	int dev, fn;
	u64 common, notify_base, devcfg;
	u32 notify_mult;
};

struct vdesc { u64 addr; u32 len; u16 flags, next; };
#define VDESC_NEXT 1
#define VDESC_WRITE 2

struct vq {
	struct vdesc *desc;
	volatile u16 *avail, *used;
	u16 size, avail_idx, last_used, notify_off;
	int index;
};

/* Common configuration registers (offsets in the common capability). */
enum { VPCI_DFSEL = 0, VPCI_DF = 4, VPCI_GFSEL = 8, VPCI_GF = 0xc, VPCI_STATUS = 0x14, VPCI_QSEL = 0x16,
       VPCI_QSIZE = 0x18, VPCI_QENABLE = 0x1c, VPCI_QNOFF = 0x1e, VPCI_QDESC = 0x20, VPCI_QDRIVER = 0x28, VPCI_QDEVICE = 0x30 };

/* Finds vendor 1af4 device `device` on bus 0 and maps its common, notify and device config. Returns 0 if absent. */
int vpci_find(struct vpci *p, u16 device);

/* As vpci_find, past the first `skip` functions with that device id (several of one kind). */
int vpci_find_nth(struct vpci *p, u16 device, int skip);

/* Reset, ACKNOWLEDGE|DRIVER, then features: the low 32 offered bits & wanted_lo, plus VERSION_1; FEATURES_OK checked. Returns the low offered bits. */
u32 vpci_negotiate(struct vpci *p, u32 wanted_lo);

/* Queue index at base (desc; avail +0x1000; used +0x2000), at most `want` entries. */
void vpci_queue(struct vpci *p, struct vq *q, int index, u64 base, u16 want);

/* DRIVER_OK. */
void vpci_ready(struct vpci *p);

/* Makes head available and notifies the device. */
void vpci_submit(struct vpci *p, struct vq *q, u16 head);

/* Waits (polling, with a time limit) for the next used element; returns its written length. */
u32 vpci_wait_used(struct vq *q);

#endif
