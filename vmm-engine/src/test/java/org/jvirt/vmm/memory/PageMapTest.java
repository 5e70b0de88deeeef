package org.jvirt.vmm.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The page map answers the same through PAGEMAP_SCAN (where the kernel has it) as by reading each
 * page's entry, for anonymous RAM (written, read and untouched pages, runs across block edges)
 * and for RAM restored from a sparse file (its data, the guest's private copies, pages read over holes).
 */
class PageMapTest {
    private static final int PAGE = 4096, PAGES = 1024, BLOCK = 256;

    @Test
    void scanningAndReadingEntriesAgreeOnAnonymousRam() throws Exception {
        try (MmapGuestMemory mem = MmapGuestMemory.anonymous(List.of(new RamRange(0, (long) PAGES * PAGE)))) {
            for (int p : new int[] {0, 1, 2, 255, 256, 700}) mem.writeByte((long) p * PAGE + 5, (byte) 1);
            mem.readLong(900L * PAGE);
            BitSet all = compare(mem);
            BitSet expected = new BitSet();
            for (int p : new int[] {0, 1, 2, 255, 256, 700, 900}) expected.set(p);
            assertEquals(expected, all);
        }
    }

    @Test
    void scanningAndReadingEntriesAgreeOnRestoredRam(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ram.bin");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) PAGES * PAGE);
            f.seek(10L * PAGE);
            f.write(new byte[3 * PAGE]); // data (zeros written) in pages 10-12
            f.seek(600L * PAGE + 7);
            f.write(9);
        }
        try (MmapGuestMemory mem = MmapGuestMemory.anonymous(List.of(new RamRange(0, (long) PAGES * PAGE)))) {
            mem.replaceBacking(new RamBacking.PrivateFile(file, 0));
            mem.writeByte(300L * PAGE, (byte) 1); // a private copy
            mem.readLong(800L * PAGE);            // a file page over a hole
            mem.readLong(11L * PAGE);
            BitSet all = compare(mem);
            BitSet expected = new BitSet();
            for (int p : new int[] {10, 11, 12, 300, 600}) expected.set(p);
            org.junit.jupiter.api.Assumptions.assumeTrue(all.cardinality() < PAGES, "the temp file system keeps no holes");
            assertEquals(expected, all);
        }
    }

    /** mayHoldData block by block both ways; asserts they agree and returns the union. */
    private static BitSet compare(MmapGuestMemory mem) throws Exception {
        MmapRegion r = mem.regions().get(0).mapping();
        BitSet all = new BitSet();
        try (PageMap scan = PageMap.open(); PageMap entries = PageMap.openReadingEntries()) {
            BitSet a = new BitSet(), b = new BitSet();
            for (int block = 0; block < PAGES; block += BLOCK) {
                scan.mayHoldData(r, (long) block * PAGE, BLOCK, a);
                entries.mayHoldData(r, (long) block * PAGE, BLOCK, b);
                assertEquals(b, a, "block at page " + block);
                for (int i = a.nextSetBit(0); i >= 0; i = a.nextSetBit(i + 1)) all.set(block + i);
            }
        }
        return all;
    }
}
