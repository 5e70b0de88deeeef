package org.jvirt.vmm.machine;

import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.PageMap;
import org.jvirt.vmm.memory.RamBacking;
import org.jvirt.vmm.memory.RamRange;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * RAM written page by page where it is not zero: the payload reads back equal to the RAM
 * (pages at block and region edges, a single non-zero byte at a page's end, zero runs at the
 * end), only the non-zero pages take disk space, mapping the section gives the same RAM, and
 * that file-backed RAM saves again equal without having been read.
 */
class RamSectionTest {

    @Test
    void onlyNonZeroPagesAreWrittenAndTheSectionMapsBackEqual(@TempDir Path dir) throws Exception {
        List<RamRange> ranges = List.of(new RamRange(0, 3L << 20), new RamRange(4L << 20, 2L << 20));
        long[] marks = {0, 0x1ff8, (1L << 20) - 1, 1L << 20, (3L << 20) - 1, 4L << 20, (5L << 20) + 0x3000};
        Path file = dir.resolve("ram.state");
        byte[] saved = new byte[5 << 20];
        try (MmapGuestMemory mem = MmapGuestMemory.anonymous(ranges)) {
            for (long gpa : marks) mem.writeByte(gpa, (byte) (gpa | 1));
            SaveProgress progress = new SaveProgress(mem.size());
            try (StateWriter w = StateWriter.create(file)) {
                w.rawSection(MachineStateFile.RAM, 1, mem.size(), sink -> RamSection.write(mem, sink, progress));
                w.commit();
            }
            assertEquals(mem.size(), progress.processed(), "the progress counts all of RAM once");
            mem.read(0, saved, 0, 3 << 20);
            mem.read(4L << 20, saved, 3 << 20, 2 << 20);
        }
        long payload;
        try (StateReader r = StateReader.open(file)) {
            payload = r.raw(MachineStateFile.RAM).payloadOffset();
            ByteBuffer back = ByteBuffer.allocate(saved.length);
            r.readRaw(MachineStateFile.RAM, 0, back);
            assertArrayEquals(saved, back.array());
        }
        // 7 non-zero pages (plus the file header): far below the 5 MiB of RAM
        long allocated = MachineStateKvmTest.allocatedBytes(file);
        assertTrue(allocated <= 16 * 4096, "only non-zero pages take space: " + allocated);
        Path second = dir.resolve("again.state");
        try (MmapGuestMemory again = MmapGuestMemory.anonymous(ranges)) {
            RamSection.map(again, file, payload);
            // saved again untouched: its pages are not present in the mapping yet still hold the file's data
            try (StateWriter w = StateWriter.create(second)) {
                w.rawSection(MachineStateFile.RAM, 1, again.size(), sink -> RamSection.write(again, sink, new SaveProgress(again.size())));
                w.commit();
            }
            for (long gpa : marks) assertEquals((byte) (gpa | 1), again.readByte(gpa), "at 0x" + Long.toHexString(gpa));
            assertEquals(0, again.readLong(2L << 20));
        }
        try (StateReader r = StateReader.open(second)) {
            ByteBuffer back = ByteBuffer.allocate(saved.length);
            r.readRaw(MachineStateFile.RAM, 0, back);
            assertArrayEquals(saved, back.array(), "a file-backed RAM saves its unread pages too");
        }
    }

    @Test
    void thePageMapCountsPopulatedAnonymousPagesAndEveryFilePage(@TempDir Path dir) throws Exception {
        try (MmapGuestMemory mem = MmapGuestMemory.anonymous(List.of(new RamRange(0, 64 * 4096)));
             PageMap pageMap = PageMap.open()) {
            mem.writeByte(3 * 4096 + 17, (byte) 1);
            mem.readLong(9 * 4096); // a read maps the zero page: present, so it counts (and is then compared)
            BitSet may = new BitSet();
            pageMap.mayHoldData(mem.regions().get(0).mapping(), 0, 64, may);
            BitSet expected = new BitSet();
            expected.set(3);
            expected.set(9);
            assertEquals(expected, may);
            Path file = dir.resolve("ram.bin");
            Files.write(file, new byte[64 * 4096]);
            mem.replaceBacking(new RamBacking.PrivateFile(file, 0));
            pageMap.mayHoldData(mem.regions().get(0).mapping(), 0, 64, may);
            assertEquals(64, may.cardinality(), "a file page may hold data without being present");
        }
    }

    @Test
    void inRestoredRamOnlyTheFilesDataAndThePagesWrittenSinceCount(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sparse.bin");
        try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(64 * 4096); // holes, 64 pages
            f.seek(5 * 4096 + 100);
            f.write(7);             // data in page 5 only
        }
        try (MmapGuestMemory mem = MmapGuestMemory.anonymous(List.of(new RamRange(0, 64 * 4096)));
             PageMap pageMap = PageMap.open()) {
            mem.replaceBacking(new RamBacking.PrivateFile(file, 0));
            assertEquals(7, mem.readByte(5 * 4096 + 100));
            assertEquals(0, mem.readLong(30 * 4096)); // read over a hole: present, a file page, still zero
            mem.writeByte(20 * 4096 + 1, (byte) 9);   // a private copy
            BitSet may = new BitSet();
            pageMap.mayHoldData(mem.regions().get(0).mapping(), 0, 64, may);
            org.junit.jupiter.api.Assumptions.assumeTrue(MachineStateKvmTest.allocatedBytes(file) < 64 * 4096, "the temp file system keeps no holes");
            BitSet expected = new BitSet();
            expected.set(5);
            expected.set(20);
            assertEquals(expected, may, "the file's data page and the page written since; not the holes");
            // and it saves equal, reading only those
            Path again = dir.resolve("again.state");
            try (StateWriter w = StateWriter.create(again)) {
                w.rawSection(MachineStateFile.RAM, 1, mem.size(), sink -> RamSection.write(mem, sink, new SaveProgress(mem.size())));
                w.commit();
            }
            try (StateReader r = StateReader.open(again)) {
                ByteBuffer back = ByteBuffer.allocate(64 * 4096);
                r.readRaw(MachineStateFile.RAM, 0, back);
                byte[] want = new byte[64 * 4096];
                want[5 * 4096 + 100] = 7;
                want[20 * 4096 + 1] = 9;
                assertArrayEquals(want, back.array());
            }
        }
    }
}
