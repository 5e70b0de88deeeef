package org.jvirt.vmm.block.qcow2;

/**
 * Decoding of L1 and L2 table entries (qcow2.txt, "Cluster mapping"). Host offsets occupy bits
 * 9-55; bit 63 (COPIED) says the refcount is exactly one, so the cluster may be written in place;
 * bit 62 marks a compressed cluster, whose descriptor packs a byte offset and a sector count;
 * bit 0 of a standard entry reads the cluster as zeros (version 3).
 */
final class L2Entry {
    private L2Entry() { }

    static final long COPIED = 1L << 63, COMPRESSED = 1L << 62, ZERO = 1L;
    static final long OFFSET_MASK = 0x00ff_ffff_ffff_fe00L;
    static final long L1_RESERVED = 0x7f00_0000_0000_01ffL;
    static final long L2_RESERVED = 0x3f00_0000_0000_01feL;

    enum Kind { UNALLOCATED, ZERO, NORMAL, COMPRESSED }

    static Kind kind(long entry) {
        if ((entry & COMPRESSED) != 0) return Kind.COMPRESSED;
        if ((entry & ZERO) != 0) return Kind.ZERO;
        if ((entry & OFFSET_MASK) == 0) return Kind.UNALLOCATED;
        return Kind.NORMAL;
    }

    static long offset(long entry) {
        return entry & OFFSET_MASK;
    }

    /** Bit position where a compressed descriptor's sector count starts. */
    static int compressedShift(int clusterBits) {
        return 62 - (clusterBits - 8);
    }

    /** Byte offset of a compressed cluster's data in the file. */
    static long compressedOffset(long entry, int clusterBits) {
        return entry & ((1L << compressedShift(clusterBits)) - 1);
    }

    /** Bytes of the compressed data: whole 512-byte sectors from the one holding the offset. */
    static long compressedLength(long entry, int clusterBits) {
        int shift = compressedShift(clusterBits);
        long sectors = ((entry & ~(COPIED | COMPRESSED)) >>> shift) + 1;
        return sectors * 512 - (compressedOffset(entry, clusterBits) & 511);
    }
}
