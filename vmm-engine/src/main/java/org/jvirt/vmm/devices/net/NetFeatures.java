package org.jvirt.vmm.devices.net;

/** virtio-net feature bits (virtio 1.x section 5.1.3) and how the acked receive offloads map to a tap's TUN_F_* bits. */
final class NetFeatures {
    private NetFeatures() { }

    static final long CSUM = 1L << 0, GUEST_CSUM = 1L << 1, MAC = 1L << 5, GUEST_TSO4 = 1L << 7, GUEST_TSO6 = 1L << 8,
            GUEST_ECN = 1L << 9, HOST_TSO4 = 1L << 11, HOST_TSO6 = 1L << 12, HOST_ECN = 1L << 13, MRG_RXBUF = 1L << 15,
            STATUS = 1L << 16;

    /** The checksum and segmentation offloads: offered only when the backend carries the vnet header. */
    static final long OFFLOADS = CSUM | GUEST_CSUM | GUEST_TSO4 | GUEST_TSO6 | GUEST_ECN | HOST_TSO4 | HOST_TSO6 | HOST_ECN;

    /** What the tap may hand the guest, from what the guest accepted (as QEMU's virtio_net_apply_guest_offloads). */
    static int tunOffloads(long acked) {
        int f = 0;
        if ((acked & GUEST_CSUM) != 0) {
            f |= NetLibC.TUN_F_CSUM;
            if ((acked & GUEST_TSO4) != 0) f |= NetLibC.TUN_F_TSO4;
            if ((acked & GUEST_TSO6) != 0) f |= NetLibC.TUN_F_TSO6;
            if ((acked & GUEST_ECN) != 0) f |= NetLibC.TUN_F_TSO_ECN;
        }
        return f;
    }
}
