package org.jvirt.vmm.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;

import org.jvirt.vmm.kvm.LibC;

/**
 * Which pages of guest RAM may hold data, from Linux's /proc/self/pagemap (one 64-bit entry per
 * virtual page; bit 63 present, bit 62 swapped, bit 61 a file page): a page of an anonymous mapping
 * that is neither present nor swapped was never written, so it is zero and a save need not read
 * it. In a file mapped copy-on-write (restored RAM) a page holds the file's bytes until the guest
 * writes it, which makes it a private anonymous copy (present or swapped, not a file page): so a
 * page counts if it is such a copy or if the file holds data there ({@link FileExtents}); a page
 * over a hole of the file that was never written is zero. Without a readable pagemap, or a file
 * mapping whose extents are not known, every page counts. Where the kernel has PAGEMAP_SCAN
 * ({@link PagemapScan}) a region's runs of such pages come from one call; else each page's entry is read.
 */
public final class PageMap implements AutoCloseable {
    private static final long PRESENT = 1L << 63, SWAPPED = 1L << 62, FILE_PAGE = 1L << 61;
    private static final int PAGE = (int) MmapRegion.PAGE;

    private final FileChannel pagemap; // null: unavailable
    private ByteBuffer entries = ByteBuffer.allocate(0);
    /** The page map as a descriptor for PAGEMAP_SCAN (-1: none, or the kernel lacks the ioctl). */
    private int scanFd = -2;
    /** The last region scanned with PAGEMAP_SCAN and its runs of pages that may hold data. */
    private MmapRegion scanned;
    private long[] runStarts, runEnds;

    private PageMap(FileChannel pagemap) { this.pagemap = pagemap; }

    /** As {@link #open()}, reading every page's entry even where the kernel has PAGEMAP_SCAN (tests compare the two). */
    static PageMap openReadingEntries() {
        PageMap m = open();
        m.scanFd = -1;
        return m;
    }

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
        if (scanRuns(region, file != null)) {
            long end = offset + (long) pages * PAGE;
            int i = Arrays.binarySearch(runEnds, offset);
            for (i = i < 0 ? -i - 1 : i + 1; i < runStarts.length && runStarts[i] < end; i++) {
                out.set((int) ((Math.max(runStarts[i], offset) - offset) / PAGE), (int) ((Math.min(runEnds[i], end) - offset + PAGE - 1) / PAGE));
            }
            for (int p = 0; file != null && p < pages; p++) {
                long pageAt = offset + (long) p * PAGE;
                if (file.holdsData(pageAt, pageAt + PAGE)) out.set(p);
            }
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

    /** Scans region once with PAGEMAP_SCAN (the runs are then kept); false where the kernel cannot. */
    private boolean scanRuns(MmapRegion region, boolean notFile) {
        if (scanned == region) return true;
        if (scanFd == -2) scanFd = LibC.open("/proc/self/pagemap", LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (scanFd < 0) return false;
        long[][] runs = PagemapScan.scan(scanFd, region, notFile);
        if (runs == null) {
            LibC.close(scanFd);
            scanFd = -1;
            return false;
        }
        scanned = region;
        runStarts = runs[0];
        runEnds = runs[1];
        return true;
    }

    @Override
    public void close() throws IOException {
        if (scanFd >= 0) LibC.close(scanFd);
        if (pagemap != null) pagemap.close();
    }
}
