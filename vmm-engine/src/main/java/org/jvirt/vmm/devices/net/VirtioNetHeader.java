package org.jvirt.vmm.devices.net;

/**
 * struct virtio_net_hdr_v1 (virtio 1.x section 5.1.6): flags, gso_type, hdr_len, gso_size,
 * csum_start, csum_offset, num_buffers, 12 bytes in front of every frame in both directions.
 * A tap with IFF_VNET_HDR and TUNSETVNETHDRSZ 12 uses the same layout.
 */
final class VirtioNetHeader {
    private VirtioNetHeader() { }

    static final int SIZE = 12;
    /** le16 num_buffers: how many receive buffers a merged frame spans (1 without MRG_RXBUF). */
    static final int NUM_BUFFERS = 10;
}
