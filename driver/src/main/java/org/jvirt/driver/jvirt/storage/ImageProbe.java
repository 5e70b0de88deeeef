package org.jvirt.driver.jvirt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a volume's file says about itself, as libvirt's format probe reads it: a qcow2 header
 * (magic QFI\xfb) gives the virtual size, version, cluster size, incompatible features and the
 * backing file and format; anything else is raw, its size the file's.
 */
record ImageProbe(String format, long capacity, int version, int clusterSize, long l1Entries, long incompatible,
                  String backingName, String backingFormat) {

    static final int QCOW2_MAGIC = 0x514649fb;
    private static final int BACKING_FORMAT_EXT = 0xe2792aca;

    static ImageProbe of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(65536);
            while (h.hasRemaining() && ch.read(h) > 0) { }
            h.flip();
            if (h.limit() < 72 || h.getInt(0) != QCOW2_MAGIC) return new ImageProbe("raw", ch.size(), 0, 0, 0, 0, null, null);
            int version = h.getInt(4);
            long backingOffset = h.getLong(8);
            int backingSize = h.getInt(16);
            int clusterBits = h.getInt(20);
            long size = h.getLong(24);
            long l1 = Integer.toUnsignedLong(h.getInt(36));
            long incompatible = version >= 3 && h.limit() >= 104 ? h.getLong(72) : 0;
            int headerLength = version >= 3 && h.limit() >= 104 ? h.getInt(100) : 72;
            String backing = null;
            if (backingOffset > 0 && backingSize > 0 && backingOffset + backingSize <= h.limit()) {
                byte[] b = new byte[backingSize];
                h.get((int) backingOffset, b);
                backing = new String(b, StandardCharsets.UTF_8);
            }
            return new ImageProbe("qcow2", size, version, 1 << clusterBits, l1, incompatible, backing,
                    backingFormat(h, headerLength));
        }
    }

    /** The backing format header extension, or null. */
    private static String backingFormat(ByteBuffer h, int at) {
        while (at + 8 <= h.limit()) {
            int type = h.getInt(at);
            int len = h.getInt(at + 4);
            if (type == 0 || len < 0 || at + 8 + len > h.limit()) return null;
            if (type == BACKING_FORMAT_EXT) {
                byte[] b = new byte[len];
                h.get(at + 8, b);
                return new String(b, StandardCharsets.US_ASCII);
            }
            at += 8 + ((len + 7) & ~7);
        }
        return null;
    }

    /** The L2 span of one L1 entry: how far the image can grow without a larger L1 table. */
    long maxCapacity() {
        return l1Entries * ((long) clusterSize * (clusterSize / 8));
    }
}
