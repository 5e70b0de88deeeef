package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The qcow2 header (QEMU's docs/interop/qcow2.txt, "Header"): the fixed fields of versions 2 and
 * 3 and the header extensions, each validated against the file's size before anything uses them,
 * so that a hostile image is refused with one clear line. Features jvirt does not implement
 * (encryption, external data files, extended L2 entries, zstd, unknown incompatible bits) are
 * refused by name.
 */
record Qcow2Header(int version, long backingFileOffset, int backingFileSize, int clusterBits, long size,
                   int l1Size, long l1TableOffset, long refcountTableOffset, int refcountTableClusters,
                   int nbSnapshots, long snapshotsOffset, long incompatibleFeatures, long compatibleFeatures,
                   long autoclearFeatures, int refcountOrder, int headerLength,
                   String backingFile, String backingFormat) {

    static final int MAGIC = 0x514649fb; // "QFI\xfb"
    static final int V2_LENGTH = 72, V3_LENGTH = 104;
    static final int MIN_CLUSTER_BITS = 9, MAX_CLUSTER_BITS = 21; // QEMU's limit: 2 MiB clusters
    static final long MAX_L1_BYTES = 32L << 20, MAX_REFTABLE_BYTES = 8L << 20; // QEMU's limits
    static final int MAX_SNAPSHOTS = 65536, MAX_BACKING_NAME = 1023;

    static final long INCOMPAT_DIRTY = 1, INCOMPAT_CORRUPT = 2, INCOMPAT_DATA_FILE = 4,
            INCOMPAT_COMPRESSION = 8, INCOMPAT_EXTL2 = 16;

    // field offsets written back by the image
    static final int OFF_REFTABLE = 48, OFF_NB_SNAPSHOTS = 60, OFF_INCOMPATIBLE = 72, OFF_AUTOCLEAR = 88;

    long clusterSize() { return 1L << clusterBits; }

    /** Entries of one L2 table (8 bytes each). */
    int l2Entries() { return 1 << (clusterBits - 3); }

    int refcountBits() { return 1 << refcountOrder; }

    boolean hasBacking() { return backingFileOffset != 0; }

    /** Reads and checks the header of file (whose length is fileSize). */
    static Qcow2Header read(ImageFile file) throws IOException {
        Path p = file.path();
        long fileSize = file.size();
        if (fileSize < V2_LENGTH) throw new Qcow2Exception(p, "file too short for a qcow2 header (" + fileSize + " bytes)");
        byte[] h = new byte[(int) Math.min(fileSize, V3_LENGTH)];
        file.readData(0, h, 0, h.length);
        if ((int) BigEndian.u32(h, 0) != MAGIC) throw new Qcow2Exception(p, "not a qcow2 image (bad magic)");
        long version = BigEndian.u32(h, 4);
        if (version != 2 && version != 3) throw new Qcow2Exception(p, "unsupported qcow2 version " + version + " (2 or 3)");
        long clusterBits = BigEndian.u32(h, 20);
        if (clusterBits < MIN_CLUSTER_BITS || clusterBits > MAX_CLUSTER_BITS) {
            throw new Qcow2Exception(p, "cluster_bits " + clusterBits + " out of range (" + MIN_CLUSTER_BITS + ".." + MAX_CLUSTER_BITS + ")");
        }
        long cs = 1L << clusterBits;
        // the first cluster holds the header, its extensions and the backing file name
        byte[] c = new byte[(int) Math.min(cs, fileSize)];
        file.readData(0, c, 0, c.length);

        long incompatible = 0, compatible = 0, autoclear = 0;
        int refcountOrder = 4, headerLength = V2_LENGTH, compressionType = 0;
        if (version == 3) {
            if (c.length < V3_LENGTH) throw new Qcow2Exception(p, "file too short for a version 3 header");
            incompatible = BigEndian.u64(c, 72);
            compatible = BigEndian.u64(c, 80);
            autoclear = BigEndian.u64(c, 88);
            long order = BigEndian.u32(c, 96);
            if (order > 6) throw new Qcow2Exception(p, "refcount_order " + order + " out of range (0..6)");
            refcountOrder = (int) order;
            long len = BigEndian.u32(c, 100);
            if (len < V3_LENGTH || len % 8 != 0 || len > c.length) {
                throw new Qcow2Exception(p, "invalid header_length " + len + " (at least 104, a multiple of 8, inside the first cluster)");
            }
            headerLength = (int) len;
            if (headerLength > V3_LENGTH) compressionType = c[V3_LENGTH] & 0xFF;
        }
        checkIncompatible(p, incompatible, compressionType);
        long cryptMethod = BigEndian.u32(c, 32);
        if (cryptMethod != 0) throw new Qcow2Exception(p, "encrypted images are not supported (crypt_method " + cryptMethod + ")");

        long size = BigEndian.u64(c, 24);
        long l1Size = BigEndian.u32(c, 36);
        long l1Offset = BigEndian.u64(c, 40);
        long refOffset = BigEndian.u64(c, 48);
        long refClusters = BigEndian.u32(c, 56);
        long nbSnapshots = BigEndian.u32(c, 60);
        long snapOffset = BigEndian.u64(c, 64);
        long backingOffset = BigEndian.u64(c, 8);
        long backingSize = BigEndian.u32(c, 16);

        // size: every guest cluster must be reachable through the L1 table
        long l2Span = cs * (cs / 8); // guest bytes one L2 table maps
        if (size < 0 || size > (1L << 56)) throw new Qcow2Exception(p, "virtual size " + Long.toUnsignedString(size) + " out of range");
        long l1Needed = (size + l2Span - 1) / l2Span;
        if (l1Size * 8 > MAX_L1_BYTES) throw new Qcow2Exception(p, "L1 table of " + l1Size + " entries is too large");
        if (l1Size < l1Needed) throw new Qcow2Exception(p, "L1 table of " + l1Size + " entries cannot map the " + size + "-byte disk");
        if (l1Size > 0) checkTable(p, "L1 table", l1Offset, l1Size * 8, cs, fileSize);
        else if (l1Offset % cs != 0) throw new Qcow2Exception(p, "L1 table offset " + l1Offset + " is not cluster aligned");

        if (refClusters == 0) throw new Qcow2Exception(p, "the refcount table is empty");
        if (refClusters * cs > Math.max(MAX_REFTABLE_BYTES, cs)) throw new Qcow2Exception(p, "refcount table of " + refClusters + " clusters is too large");
        checkTable(p, "refcount table", refOffset, refClusters * cs, cs, fileSize);
        if (overlaps(l1Offset, l1Size * 8, refOffset, refClusters * cs)) throw new Qcow2Exception(p, "the L1 table overlaps the refcount table");

        if (nbSnapshots > MAX_SNAPSHOTS) throw new Qcow2Exception(p, nbSnapshots + " snapshots is too many (at most " + MAX_SNAPSHOTS + ")");
        if (nbSnapshots > 0) checkTable(p, "snapshot table", snapOffset, 40L * nbSnapshots, cs, fileSize);

        String backingFile = null;
        if (backingOffset != 0) {
            if (backingSize == 0 || backingSize > MAX_BACKING_NAME) throw new Qcow2Exception(p, "backing file name length " + backingSize + " out of range (1.." + MAX_BACKING_NAME + ")");
            if (backingOffset < headerLength || backingOffset > c.length - backingSize) {
                throw new Qcow2Exception(p, "backing file name at offset " + backingOffset + " lies outside the first cluster");
            }
            backingFile = new String(c, (int) backingOffset, (int) backingSize, StandardCharsets.UTF_8);
            if (backingFile.indexOf('\0') >= 0) throw new Qcow2Exception(p, "backing file name contains a NUL byte");
        }
        int extEnd = backingOffset != 0 ? (int) backingOffset : c.length;
        String backingFormat = HeaderExtensions.backingFormat(p, c, headerLength, extEnd);
        return new Qcow2Header((int) version, backingOffset, (int) backingSize, (int) clusterBits, size, (int) l1Size, l1Offset,
                refOffset, (int) refClusters, (int) nbSnapshots, snapOffset, incompatible, compatible, autoclear,
                refcountOrder, headerLength, backingFile, backingFormat);
    }

    private static void checkIncompatible(Path p, long bits, int compressionType) throws Qcow2Exception {
        long known = INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_DATA_FILE | INCOMPAT_COMPRESSION | INCOMPAT_EXTL2;
        if ((bits & ~known) != 0) throw new Qcow2Exception(p, "unsupported incompatible features 0x" + Long.toHexString(bits & ~known));
        if ((bits & INCOMPAT_DATA_FILE) != 0) throw new Qcow2Exception(p, "external data files are not supported");
        if ((bits & INCOMPAT_EXTL2) != 0) throw new Qcow2Exception(p, "extended L2 entries (subclusters) are not supported");
        if ((bits & INCOMPAT_COMPRESSION) != 0 && compressionType != 0) {
            throw new Qcow2Exception(p, "compression type " + compressionType + " is not supported (zlib only)");
        }
        if ((bits & INCOMPAT_COMPRESSION) == 0 && compressionType != 0) {
            throw new Qcow2Exception(p, "compression_type " + compressionType + " without the compression type feature bit");
        }
    }

    /** A table must be cluster aligned, past the header cluster, and inside the file. */
    static void checkTable(Path p, String what, long offset, long length, long cs, long fileSize) throws Qcow2Exception {
        if (offset <= 0 || offset % cs != 0) throw new Qcow2Exception(p, what + " offset " + offset + " is not a cluster-aligned offset past the header");
        if (offset >= fileSize || length > fileSize - offset) {
            throw new Qcow2Exception(p, what + " at offset " + offset + " (" + length + " bytes) lies past the end of the " + fileSize + "-byte file");
        }
    }

    static boolean overlaps(long a, long alen, long b, long blen) {
        return alen > 0 && blen > 0 && a < b + blen && b < a + alen;
    }

    /** Unknown autoclear bits must be cleared before writing; jvirt keeps none (it maintains no bitmaps). */
    boolean needsAutoclearReset() {
        return autoclearFeatures != 0;
    }
}
