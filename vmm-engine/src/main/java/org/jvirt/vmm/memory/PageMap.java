package org.jvirt.vmm.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * Which pages of guest RAM may hold data, from Linux's /proc/self/pagemap (one 64-bit entry per
 * virtual page; bit 63 present, bit 62 swapped, bit 61 a file page): a page of an anonymous mapping
 * that is neither present nor swapped was never written, so it is zero and a save need not read
 * it. In a file mapped copy-on-write (restored RAM) a page holds the file's bytes until the guest
 * writes it, which makes it a private anonymous copy (present or swapped, not a file page): so a
 * page counts if it is such a copy or if the file holds data there ({@link FileExtents}); a page
 * over a hole of the file that was never written is zero. Without a readable pagemap, or a file
 * mapping whose extents are not known, every page counts.
 */
public final class PageMap implements AutoCloseable {
    private static final long PRESENT = 1L << 63, SWAPPED = 1L << 62, FILE_PAGE = 1L << 61;
    private static final int PAGE = (int) MmapRegion.PAGE;

    private final FileChannel pagemap; // null: unavailable
    private ByteBuffer entries = ByteBuffer.allocate(0);

    private PageMap(FileChannel pagemap) { this.pagemap = pagemap; }

    /** This process's page map, or one that counts every page when /proc/self/pagemap cannot be read. */
    public static PageMap open() {
        try {
            return new PageMap(FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return new PageMap(null);
        }
    }

    /**
     * Sets in out (cleared first) bit i for each page i of the pages at [offset, offset + pages *
     * 4096) of region that may hold data; the others are certainly zero.
     */
    public void mayHoldData(MmapRegion region, long offset, int pages, BitSet out) throws IOException {
        out.clear();
        FileExtents file = region.fileExtents();
        if (pagemap == null || (!region.isAnonymous() && file == null)) {
            out.set(0, pages);
            return;
        }
        if (entries.capacity() < pages * 8) entries = ByteBuffer.allocate(pages * 8).order(ByteOrder.nativeOrder());
        entries.clear().limit(pages * 8);
        long at = (region.hostAddress() + offset) / PAGE * 8;
        while (entries.hasRemaining()) {
            int n = pagemap.read(entries, at + entries.position());
            if (n <= 0) { // cannot tell: count every page
                out.set(0, pages);
                return;
            }
        }
        if (file == null) {
            for (int i = 0; i < pages; i++) {
                if ((entries.getLong(i * 8) & (PRESENT | SWAPPED)) != 0) out.set(i);
            }
            return;
        }
        for (int i = 0; i < pages; i++) {
            long e = entries.getLong(i * 8);
            boolean privateCopy = (e & (PRESENT | SWAPPED)) != 0 && (e & FILE_PAGE) == 0;
            long pageAt = offset + (long) i * PAGE;
            if (privateCopy || file.holdsData(pageAt, pageAt + PAGE)) out.set(i);
        }
    }

    @Override
    public void close() throws IOException {
        if (pagemap != null) pagemap.close();
    }
}
