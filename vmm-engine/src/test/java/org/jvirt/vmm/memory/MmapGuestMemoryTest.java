package org.jvirt.vmm.memory;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MmapGuestMemoryTest {

    @Test
    void layoutPutsRamBelowThePciHoleAndTheRestAbove4G() {
        assertEquals(List.of(new RamRange(0, 256L << 20)), X86MemoryLayout.ramRanges(256L << 20));
        assertEquals(List.of(new RamRange(0, 0xC000_0000L), new RamRange(0x1_0000_0000L, 1L << 30)),
                X86MemoryLayout.ramRanges(4L << 30));
        assertThrows(IllegalArgumentException.class, () -> X86MemoryLayout.ramRanges(1000));
    }

    @Test
    void readsBackWhatWasWrittenLittleEndian() {
        try (MmapGuestMemory m = MmapGuestMemory.x86(1L << 20)) {
            assertEquals(1L << 20, m.size());
            m.writeLong(0x100, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, m.readLong(0x100));
            assertEquals(0x55667788, m.readInt(0x100));
            assertEquals((short) 0x7788, m.readShort(0x100));
            assertEquals((byte) 0x88, m.readByte(0x100));
            assertEquals(0, m.readLong(0x2000), "fresh memory is zero");
            byte[] src = {1, 2, 3, 4, 5};
            m.write(0xFFFF0, src, 1, 3);
            byte[] dst = new byte[3];
            m.read(0xFFFF0, dst, 0, 3);
            assertArrayEquals(new byte[]{2, 3, 4}, dst);
        }
    }

    @Test
    void accessesOutsideRamFailBeforeTouchingMemory() {
        try (MmapGuestMemory m = MmapGuestMemory.x86(1L << 20)) {
            long end = 1L << 20;
            assertTrue(m.isValidRange(end - 8, 8));
            assertFalse(m.isValidRange(end - 7, 8));
            assertFalse(m.isValidRange(-1, 1));
            assertFalse(m.isValidRange(0, -1));
            assertFalse(m.isValidRange(Long.MAX_VALUE, 2), "overflowing range");
            assertFalse(m.isValidRange(0, Long.MAX_VALUE));
            GuestMemoryException e = assertThrows(GuestMemoryException.class, () -> m.readLong(end - 4));
            assertEquals(end - 4, e.address());
            assertEquals(8, e.length());
            assertThrows(GuestMemoryException.class, () -> m.readByte(end));
            assertThrows(GuestMemoryException.class, () -> m.writeInt(end - 2, 1));
            assertThrows(GuestMemoryException.class, () -> m.write(end - 2, new byte[4], 0, 4));
            assertThrows(GuestMemoryException.class, () -> m.read(-8, new byte[4], 0, 4));
            assertThrows(GuestMemoryException.class, () -> m.zero(end - 100, 101));
            assertEquals(0, m.readInt(end - 4), "the failed write left memory unchanged");
            assertThrows(IndexOutOfBoundsException.class, () -> m.read(0, new byte[4], 2, 4));
        }
    }

    @Test
    void theHoleBetweenRegionsIsNotRam() {
        // two small regions with a hole between them, as below and above the PCI hole
        try (MmapGuestMemory m = MmapGuestMemory.anonymous(List.of(new RamRange(0, 0x10000), new RamRange(0x20000, 0x10000)))) {
            assertEquals(0x20000, m.size());
            m.writeInt(0x20000, 42);
            assertEquals(42, m.readInt(0x20000));
            assertFalse(m.isValidRange(0x10000, 1), "hole");
            assertFalse(m.isValidRange(0xFFFC, 8), "crosses the end of the first region into the hole");
            assertFalse(m.isValidRange(0x1FFFC, 8), "starts in the hole");
            assertFalse(m.isValidRange(0x8000, 0x20000), "spans both regions and the hole");
            assertThrows(GuestMemoryException.class, () -> m.readLong(0xFFFC));
            assertThrows(GuestMemoryException.class, () -> m.write(0xFFF0, new byte[0x20], 0, 0x20));
            assertTrue(m.isValidRange(0x2FFF8, 8));
            assertFalse(m.isValidRange(0x2FFF9, 8));
        }
    }

    @Test
    void accessesStraddlingAByteBufferChunkWork() {
        // above 3 GiB of RAM so the low region spans several 1 GiB chunks; pages are only touched when written
        long size = MmapRegion.CHUNK * 2;
        try (MmapGuestMemory m = MmapGuestMemory.anonymous(List.of(new RamRange(0, size)))) {
            long at = MmapRegion.CHUNK - 3;
            m.writeLong(at, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, m.readLong(at));
            assertEquals(0x05060708, m.readInt(at));
            assertEquals(0x08, m.readByte(at));
            assertEquals(0x05, m.readByte(MmapRegion.CHUNK));
            byte[] b = new byte[8];
            m.read(at, b, 0, 8);
            assertArrayEquals(new byte[]{8, 7, 6, 5, 4, 3, 2, 1}, b);
        }
    }

    @Test
    void rejectsOverlappingOrUnalignedRanges() {
        assertThrows(IllegalArgumentException.class,
                () -> MmapGuestMemory.anonymous(List.of(new RamRange(0, 0x2000), new RamRange(0x1000, 0x1000))));
        assertThrows(IllegalArgumentException.class, () -> MmapGuestMemory.anonymous(List.of(new RamRange(0x800, 0x1000))));
    }

    @Test
    void aFileBackingIsMappedCopyOnWriteAndTheFileNeverChanges(@TempDir Path dir) throws Exception {
        // the file: one page of header, then the RAM of two regions back to back (0x10000 + 0x10000)
        Path file = dir.resolve("ram.bin");
        byte[] bytes = new byte[0x1000 + 0x20000];
        for (int i = 0x1000; i < bytes.length; i += 8) java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(i, i * 3L);
        Files.write(file, bytes);
        List<RamRange> ranges = List.of(new RamRange(0, 0x10000), new RamRange(0x20000, 0x10000));
        try (MmapGuestMemory m = MmapGuestMemory.anonymous(ranges)) {
            m.writeLong(0x100, -1L);
            m.replaceBacking(new RamBacking.PrivateFile(file, 0x1000));
            assertEquals(0x1100 * 3L, m.readLong(0x100), "the old contents are gone, the file's are there");
            assertEquals((0x1000 + 0x10008) * 3L, m.readLong(0x20008), "the second region continues the file where the first ends");
            m.writeLong(0x20008, 42);
            assertEquals(42, m.readLong(0x20008));
            m.zero(0, 0x10000);
        }
        assertArrayEquals(bytes, Files.readAllBytes(file), "guest writes stay private");
        try (MmapGuestMemory m = MmapGuestMemory.of(ranges, new RamBacking.PrivateFile(file, 0x1000))) {
            assertEquals(0x1100 * 3L, m.readLong(0x100), "a fresh memory can start from the file too");
        }
        // a file too short for the RAM is refused before anything is mapped (past its end would be SIGBUS)
        try (MmapGuestMemory m = MmapGuestMemory.anonymous(ranges)) {
            m.writeLong(0x100, 7);
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> m.replaceBacking(new RamBacking.PrivateFile(file, 0x2000)));
            assertTrue(e.getMessage().contains("guest RAM needs 131072"), e.getMessage());
            assertEquals(7, m.readLong(0x100));
        }
    }
}
