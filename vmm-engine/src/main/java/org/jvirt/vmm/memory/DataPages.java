package org.jvirt.vmm.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * The guest RAM pages that hold data, found without reading the rest: the kernel's page map
 * says which pages were never populated (zero without a look), a 1 MiB block is tested whole
 * (idle RAM is mostly zero), then page by page, with ByteBuffer.mismatch (vectorized). What a
 * live migration's first pass sends, the way the state file's RAM section is written.
 */
public final class DataPages {
    private DataPages() { }

    private static final int PAGE = 4096, BLOCK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BLOCK).asReadOnlyBuffer();

    /** Called for each page holding data, in address order, with a read-only view of it. */
    public interface Visitor {
        void page(long gpa, ByteBuffer page) throws IOException;
    }

    /** Visits every page holding data; returns how many pages were zero (and not visited). */
    public static long forEach(MmapGuestMemory mem, Visitor v) throws IOException {
        long zero = 0;
        BitSet mayHoldData = new BitSet(BLOCK / PAGE);
        try (PageMap pageMap = PageMap.open()) {
            for (MmapGuestMemory.Region r : mem.regions()) {
                MmapRegion m = r.mapping();
                for (long off = 0; off < r.size(); off += BLOCK) {
                    int n = (int) Math.min(BLOCK, r.size() - off);
                    int pages = (n + PAGE - 1) / PAGE;
                    pageMap.mayHoldData(m, off, pages, mayHoldData);
                    ByteBuffer b = mayHoldData.isEmpty() ? null : m.view(off, n);
                    if (b == null || isZero(b, 0, n)) {
                        zero += pages;
                        continue;
                    }
                    for (int p = 0; p < n; p += PAGE) {
                        int len = Math.min(PAGE, n - p);
                        if (!mayHoldData.get(p / PAGE) || isZero(b, p, len)) zero++;
                        else v.page(r.start() + off + p, b.slice(p, len).asReadOnlyBuffer());
                    }
                }
            }
        }
        return zero;
    }

    /** Whether len bytes of b from off are all zero (vectorized; len at most 1 MiB). */
    public static boolean isZero(byte[] b, int off, int len) {
        return isZero(ByteBuffer.wrap(b), off, len);
    }

    /** Whether len bytes of b from off are all zero (vectorized; len at most 1 MiB). */
    public static boolean isZero(ByteBuffer b, int off, int len) {
        return b.slice(off, len).mismatch(ZEROS.slice(0, len)) < 0;
    }
}
