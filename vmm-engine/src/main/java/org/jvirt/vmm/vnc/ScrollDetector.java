package org.jvirt.vmm.vnc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the band of a picture that is the previous picture moved up or down (a console that
 * scrolled), so a client that takes CopyRect gets one copy instead of the band's pixels. QEMU's
 * server sends CopyRect only when a display device reports a blit (cirrus, QXL); the std VGA,
 * bochs-display and virtio-gpu report none, so the move is found by comparing the pictures:
 * rows are hashed, each changed row votes for the offsets at which the previous picture had the
 * same row, and the winning offset's longest run of rows that match exactly is the band.
 */
final class ScrollDetector {
    /** A move: rows [srcY, srcY + height) of the previous picture are now at dstY, full width. */
    record Move(int srcY, int dstY, int height) { }

    /** Bands lower than this are not worth a CopyRect rectangle. */
    static final int MIN_ROWS = 16;
    /** Candidate source rows remembered per row hash (blank rows repeat a lot). */
    private static final int MAX_CANDIDATES = 4;

    private ScrollDetector() { }

    /** The band of now (w x h, row-major) that equals before moved vertically, or null. */
    static Move find(int[] now, int[] before, int w, int h) {
        if (h < 2 * MIN_ROWS) return null;
        long[] hashNow = rowHashes(now, w, h), hashBefore = rowHashes(before, w, h);
        Map<Long, int[]> where = new HashMap<>();
        for (int y = 0; y < h; y++) {
            int[] c = where.computeIfAbsent(hashBefore[y], k -> new int[] {0, 0, 0, 0, 0});
            if (c[0] < MAX_CANDIDATES) c[++c[0]] = y;
        }
        Map<Integer, Integer> votes = new HashMap<>();
        for (int y = 0; y < h; y++) {
            if (hashNow[y] == hashBefore[y]) continue; // unchanged rows say nothing
            int[] c = where.get(hashNow[y]);
            if (c == null) continue;
            for (int i = 1; i <= c[0]; i++) votes.merge(c[i] - y, 1, Integer::sum);
        }
        int best = 0, bestVotes = 0;
        for (Map.Entry<Integer, Integer> e : votes.entrySet()) {
            if (e.getKey() != 0 && e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        if (bestVotes < MIN_ROWS) return null;
        // the longest run of destination rows y with now[y] == before[y + best], checked pixel for pixel
        int runStart = -1, bestStart = 0, bestLen = 0;
        int from = Math.max(0, -best), to = Math.min(h, h - best);
        for (int y = from; y <= to; y++) {
            boolean same = y < to && hashNow[y] == hashBefore[y + best] && sameRow(now, y, before, y + best, w);
            if (same && runStart < 0) runStart = y;
            if (!same && runStart >= 0) {
                if (y - runStart > bestLen) {
                    bestLen = y - runStart;
                    bestStart = runStart;
                }
                runStart = -1;
            }
        }
        return bestLen >= MIN_ROWS ? new Move(bestStart + best, bestStart, bestLen) : null;
    }

    /** The previous picture with the move applied, as the client's framebuffer is after the CopyRect. */
    static int[] apply(int[] before, int w, Move m) {
        int[] after = before.clone();
        System.arraycopy(before, m.srcY() * w, after, m.dstY() * w, m.height() * w);
        return after;
    }

    private static long[] rowHashes(int[] rgb, int w, int h) {
        long[] out = new long[h];
        for (int y = 0; y < h; y++) {
            long hash = 1125899906842597L;
            for (int i = y * w, end = i + w; i < end; i++) hash = 31 * hash + rgb[i];
            out[y] = hash;
        }
        return out;
    }

    private static boolean sameRow(int[] a, int ya, int[] b, int yb, int w) {
        return Arrays.equals(a, ya * w, ya * w + w, b, yb * w, yb * w + w);
    }
}
