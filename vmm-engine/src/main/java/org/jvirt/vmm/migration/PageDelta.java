package org.jvirt.vmm.migration;

/**
 * The page delta of --compressed migration (the idea of QEMU's XBZRLE, our own encoding): a page
 * the target already holds an older copy of goes as the runs that changed. The encoding is a
 * sequence of pairs, each an unchanged-run length and a changed-run length (unsigned LEB128),
 * followed by the changed run's new bytes; the runs cover at most one page. The target applies
 * it over its copy. Encoding gives up (returns -1) once the delta would not be smaller than
 * {@link #LIMIT}: such a page goes whole (an "overflow" in QEMU's words).
 */
final class PageDelta {
    private PageDelta() { }

    static final int PAGE = MigrationStream.PAGE;
    /** A delta must be shorter than this to be worth sending instead of the page. */
    static final int LIMIT = PAGE - PAGE / 8;

    /**
     * Encodes into out (at least LIMIT bytes) the delta from old to now (each PAGE bytes at their
     * offsets); returns its length, 0 when nothing changed, or -1 when it would reach LIMIT.
     */
    static int encode(byte[] old, int oldOff, byte[] now, int nowOff, byte[] out) {
        int n = 0, i = 0;
        while (i < PAGE) {
            int same = i;
            // the unchanged run, skipped with the vectorized mismatch (most of a resent page is unchanged)
            int m = java.util.Arrays.mismatch(old, oldOff + i, oldOff + PAGE, now, nowOff + i, nowOff + PAGE);
            i = m < 0 ? PAGE : i + m;
            if (i == PAGE) break; // a trailing unchanged run is implied
            int diff = i;
            // a changed run ends at two equal bytes in a row (one equal byte costs more as a new pair)
            while (i < PAGE && !(old[oldOff + i] == now[nowOff + i] && (i + 1 == PAGE || old[oldOff + i + 1] == now[nowOff + i + 1]))) i++;
            int len = i - diff;
            if (n + 6 + len >= LIMIT) return -1;
            n = uleb(out, n, diff - same);
            n = uleb(out, n, len);
            System.arraycopy(now, nowOff + diff, out, n, len);
            n += len;
        }
        return n;
    }

    /** Applies a delta of length len from in to the page at page[off..off+PAGE); throws on a malformed one. */
    static void apply(byte[] in, int len, byte[] page, int off) throws MigrationException {
        int at = 0, p = 0;
        long[] r = new long[1];
        while (at < len) {
            at = readUleb(in, at, len, r);
            long same = r[0];
            at = readUleb(in, at, len, r);
            long diff = r[0];
            if (diff == 0 || same > PAGE - p || diff > PAGE - p - same) throw new MigrationException("bad page delta: runs past the page");
            p += (int) same;
            if (diff > len - at) throw new MigrationException("bad page delta: truncated");
            System.arraycopy(in, at, page, off + p, (int) diff);
            at += (int) diff;
            p += (int) diff;
        }
    }

    private static int uleb(byte[] out, int n, int v) {
        while (v >= 0x80) {
            out[n++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        out[n++] = (byte) v;
        return n;
    }

    private static int readUleb(byte[] in, int at, int len, long[] v) throws MigrationException {
        long r = 0;
        for (int shift = 0; shift < 21; shift += 7) { // a run is at most 4096: three bytes
            if (at >= len) throw new MigrationException("bad page delta: truncated");
            int b = in[at++] & 0xff;
            r |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                v[0] = r;
                return at;
            }
        }
        throw new MigrationException("bad page delta: run length too long");
    }
}
