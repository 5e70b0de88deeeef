package org.jvirt.vmm.memory;

import org.jvirt.vmm.kvm.KvmException;
import org.jvirt.vmm.kvm.LibC;

import java.util.Arrays;

/**
 * Where a file holds data (its extents, as lseek's SEEK_DATA/SEEK_HOLE report them) within a
 * range, as offsets from the range's start: the rest are holes and read as zero. A state file's
 * RAM section is sparse (only its non-zero pages are written), so a guest restored from it can
 * be saved again without reading the pages it never changed that lie in holes. Taken once, when
 * the file is mapped: the mapped file is never written afterwards (a new save goes to a new file
 * renamed into place), and a path may by then name another file, so it is not asked again.
 * File systems without SEEK_DATA report the whole file as data: every page counts then.
 */
public final class FileExtents {
    private final long[] starts, ends; // sorted, disjoint [start, end) pairs

    private FileExtents(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /** The extents of fd within [offset, offset + length). */
    static FileExtents of(int fd, long offset, long length) {
        long[] s = new long[8], e = new long[8];
        int n = 0;
        long end = offset + length;
        for (long at = offset; at < end; ) {
            long data = LibC.lseek(fd, at, LibC.SEEK_DATA);
            if (data < 0) {
                if (LibC.errno() == LibC.ENXIO) break; // no data after at
                throw new KvmException("lseek(SEEK_DATA)", LibC.errno());
            }
            if (data >= end) break;
            long hole = LibC.lseek(fd, data, LibC.SEEK_HOLE);
            if (hole < 0) throw new KvmException("lseek(SEEK_HOLE)", LibC.errno());
            hole = Math.min(hole, end);
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                e = Arrays.copyOf(e, n * 2);
            }
            s[n] = data - offset;
            e[n++] = hole - offset;
            at = hole;
        }
        return new FileExtents(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
    }

    /** The part of these extents within [from, from + length), relative to from. */
    FileExtents slice(long from, long length) {
        long[] s = new long[starts.length], e = new long[starts.length];
        int n = 0;
        for (int i = 0; i < starts.length; i++) {
            long a = Math.max(starts[i], from), b = Math.min(ends[i], from + length);
            if (a < b) {
                s[n] = a - from;
                e[n++] = b - from;
            }
        }
        return new FileExtents(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
    }

    /** True if any byte of [from, to) lies in an extent (holds data). */
    public boolean holdsData(long from, long to) {
        int i = Arrays.binarySearch(ends, from);
        i = i < 0 ? -i - 1 : i + 1; // the first extent that ends after from
        return i < starts.length && starts[i] < to;
    }
}
