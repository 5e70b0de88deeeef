package org.jvirt.vmm.machine;

import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.MmapRegion;
import org.jvirt.vmm.memory.PageMap;
import org.jvirt.vmm.memory.RamBacking;
import org.jvirt.vmm.state.RawPayloadSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Guest RAM in a state file's "ram" section: the regions back to back. Saving writes only the
 * non-zero pages (zero runs are holes of a sparse file) and skips reading the never-populated
 * pages of anonymous RAM, and in RAM restored from such a file the pages over its holes that
 * the guest has not written since ({@link PageMap}); restoring maps the section
 * copy-on-write as the guest's RAM instead of reading it, so it costs the same at any RAM size.
 */
final class RamSection {
    private RamSection() { }

    private static final int PAGE = 4096, BLOCK = 1 << 20;
    /** Zeros to compare against; ByteBuffer.mismatch compares many bytes per step (vectorized). */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BLOCK).asReadOnlyBuffer();

    /**
     * Writes RAM reading as little as possible: pages of anonymous RAM that were never populated,
     * and unwritten pages of restored RAM over a hole of its file, are zero without a look (the
     * page map says so); a 1 MiB block is tested whole first (idle RAM is mostly zero), then page
     * by page. progress counts each block once it is done.
     */
    static void write(MmapGuestMemory mem, RawPayloadSink sink, SaveProgress progress) throws IOException {
        Runs runs = new Runs(sink);
        BitSet mayHoldData = new BitSet(BLOCK / PAGE);
        try (PageMap pageMap = PageMap.open()) {
            for (MmapGuestMemory.Region r : mem.regions()) {
                MmapRegion m = r.mapping();
                for (long off = 0; off < r.size(); off += BLOCK) {
                    int n = (int) Math.min(BLOCK, r.size() - off);
                    writeBlock(m, off, n, pageMap, mayHoldData, runs);
                    progress.advance(n);
                }
            }
        }
        runs.flush();
    }

    private static void writeBlock(MmapRegion m, long off, int n, PageMap pageMap, BitSet mayHoldData, Runs runs) throws IOException {
        pageMap.mayHoldData(m, off, (n + PAGE - 1) / PAGE, mayHoldData);
        if (mayHoldData.isEmpty()) {
            runs.zeros(n);
            return;
        }
        ByteBuffer b = m.view(off, n);
        if (isZero(b, 0, n)) {
            runs.zeros(n);
            return;
        }
        for (int p = 0; p < n; p += PAGE) {
            int len = Math.min(PAGE, n - p);
            if (!mayHoldData.get(p / PAGE) || isZero(b, p, len)) runs.zeros(len);
            else runs.data(b, p, len);
        }
    }

    static boolean isZero(ByteBuffer b, int off, int len) {
        return b.slice(off, len).mismatch(ZEROS.slice(0, len)) < 0;
    }

    /** Puts the file's RAM section (at payloadOffset, page aligned) behind the guest's RAM, copy-on-write. */
    static void map(MmapGuestMemory mem, Path file, long payloadOffset) throws IOException {
        mem.replaceBacking(new RamBacking.PrivateFile(file, payloadOffset));
    }

    /** Joins adjacent data pages into one write and adjacent zero pages into one hole. */
    private static final class Runs {
        private final RawPayloadSink sink;
        private long zeros;
        private ByteBuffer data;
        private int dataStart, dataEnd;

        Runs(RawPayloadSink sink) { this.sink = sink; }

        void zeros(long n) throws IOException {
            flushData();
            zeros += n;
        }

        void data(ByteBuffer b, int off, int len) throws IOException {
            if (zeros > 0) {
                sink.skipZeros(zeros);
                zeros = 0;
            }
            if (data == b && dataEnd == off) {
                dataEnd += len;
                return;
            }
            flushData();
            data = b;
            dataStart = off;
            dataEnd = off + len;
        }

        private void flushData() throws IOException {
            if (data != null) sink.write(data.slice(dataStart, dataEnd - dataStart));
            data = null;
        }

        void flush() throws IOException {
            flushData();
            if (zeros > 0) sink.skipZeros(zeros);
            zeros = 0;
        }
    }
}
