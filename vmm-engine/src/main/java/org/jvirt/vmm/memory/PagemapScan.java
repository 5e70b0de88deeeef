package org.jvirt.vmm.memory;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.jvirt.vmm.kvm.LibC;

import java.util.Arrays;

/**
 * Linux's PAGEMAP_SCAN ioctl on /proc/self/pagemap (6.7+): the kernel walks the page tables of a
 * range and returns only the runs of pages in the asked categories, so an idle guest's RAM is
 * scanned in one call instead of one 64-bit entry per page read and tested in Java (a save runs
 * once per VMM, in a cold JVM, where that loop is slow). Older kernels answer ENOTTY/EINVAL:
 * {@link #scan} returns null and the caller reads the entries.
 */
final class PagemapScan {
    private PagemapScan() { }

    // <linux/fs.h>: struct pm_scan_arg (12 u64) and struct page_region (3 u64)
    private static final int ARG_SIZE = 96, REGION_SIZE = 24;
    private static final long PAGEMAP_SCAN = (3L << 30) | ((long) ARG_SIZE << 16) | ('f' << 8) | 16;
    static final long PAGE_IS_FILE = 1 << 2, PAGE_IS_PRESENT = 1 << 3, PAGE_IS_SWAPPED = 1 << 4;
    private static final int VEC = 1024;

    /**
     * The runs [start, end) of pages of region (offsets from its start) that are present or
     * swapped, and with notFile only those that are not file pages (a file mapping's private
     * copies); null when the kernel has no PAGEMAP_SCAN.
     */
    static long[][] scan(int pagemapFd, MmapRegion region, boolean notFile) {
        long base = region.hostAddress(), end = base + region.size();
        long[] starts = new long[16], ends = new long[16];
        int n = 0;
        try (Memory arg = new Memory(ARG_SIZE); Memory vec = new Memory((long) VEC * REGION_SIZE)) {
            for (long at = base; at < end; ) {
                arg.clear();
                arg.setLong(0, ARG_SIZE);
                arg.setLong(16, at);
                arg.setLong(24, end);
                arg.setLong(40, Pointer.nativeValue(vec));
                arg.setLong(48, VEC);
                if (notFile) {
                    arg.setLong(64, PAGE_IS_FILE); // category_inverted: "not a file page" ...
                    arg.setLong(72, PAGE_IS_FILE); // category_mask: ... is required
                }
                arg.setLong(80, PAGE_IS_PRESENT | PAGE_IS_SWAPPED); // category_anyof_mask
                arg.setLong(88, PAGE_IS_PRESENT | PAGE_IS_SWAPPED); // return_mask
                int got = LibC.ioctl(pagemapFd, PAGEMAP_SCAN, Pointer.nativeValue(arg));
                if (got < 0) return null;
                for (int i = 0; i < got; i++) {
                    if (n == starts.length) {
                        starts = Arrays.copyOf(starts, n * 2);
                        ends = Arrays.copyOf(ends, n * 2);
                    }
                    starts[n] = vec.getLong((long) i * REGION_SIZE) - base;
                    ends[n++] = vec.getLong((long) i * REGION_SIZE + 8) - base;
                }
                long walkEnd = arg.getLong(32);
                if (walkEnd <= at) return null; // no progress: do not trust it
                at = walkEnd;
            }
        }
        return new long[][] {Arrays.copyOf(starts, n), Arrays.copyOf(ends, n)};
    }
}
