package org.jvirt.vmm.devices.pflash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The command sequences of QEMU's pflash_cfi01 (width 1, as the pc machine builds it) and those
 * OVMF's QemuFlashFvbServicesRuntimeDxe issues (QemuFlash.c): probe, byte program, block erase.
 */
class CfiFlashTest {
    @TempDir Path tmp;

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }

    /** A store that records each write-through range. */
    private static final class Recorder implements CfiFlash.Store {
        final List<int[]> writes = new ArrayList<>();
        @Override public void write(byte[] storage, int offset, int length) { writes.add(new int[]{offset, length}); }
    }

    @Test
    void readsTheArrayLittleEndianAtEveryWidth() {
        CfiFlash f = new CfiFlash(pattern(2 * CfiFlash.SECTOR), false, null);
        assertEquals(3 + 7 * 5, f.read(5, 1));
        assertEquals(((3 + 7 * 0x11) & 0xff) << 8 | ((3 + 7 * 0x10) & 0xff), f.read(0x10, 2));
        long expect = 0;
        for (int i = 7; i >= 0; i--) expect = expect << 8 | ((3 + 7 * (0x20 + i)) & 0xff);
        assertEquals(expect, f.read(0x20, 8));
        assertEquals(expect & 0xffffffffL, f.read(0x20, 4));
    }

    @Test
    void ovmfsProbeSeesFlash() {
        // QemuFlashDetected: write CLEAR_STATUS (0x50), read (array again: the original byte),
        // write READ_STATUS (0x70), read: CLEARED_ARRAY_STATUS 0x00 means flash; READ_ARRAY after
        byte[] img = pattern(CfiFlash.SECTOR);
        CfiFlash f = new CfiFlash(img, false, null);
        int original = (int) f.read(0x100, 1);
        f.write(0x100, 1, 0x50);
        assertEquals(original, f.read(0x100, 1), "clear status returns to read array mode");
        f.write(0x100, 1, 0x70);
        assertEquals(0x00, f.read(0x100, 1), "status cleared");
        f.write(0x100, 1, 0xff);
        assertEquals(original, f.read(0x100, 1));
    }

    @Test
    void statusIsReadyAfterPowerOnAndReset() {
        CfiFlash f = new CfiFlash(pattern(CfiFlash.SECTOR), false, null);
        f.write(0, 1, 0x70);
        assertEquals(0x80, f.read(0, 1));
        assertEquals(0x80, f.read(0, 2), "status at 16 bits: one device's");
        assertEquals(0x00800080L, f.read(0, 4), "32-bit status repeats it in the upper half (QEMU without device width)");
        f.write(0, 1, 0x50);
        f.write(0, 1, 0x70);
        assertEquals(0, f.read(0, 1));
        f.reset();
        assertEquals(pattern(CfiFlash.SECTOR)[0] & 0xff, f.read(0, 1), "reset: read array");
        f.write(0, 1, 0x70);
        assertEquals(0x80, f.read(0, 1), "reset: ready");
    }

    @Test
    void byteProgramWritesThroughAndShowsStatusUntilReadArray() {
        Recorder r = new Recorder();
        byte[] img = new byte[CfiFlash.SECTOR];
        Arrays.fill(img, (byte) 0xff);
        CfiFlash f = new CfiFlash(img, false, r);
        f.write(0x234, 1, 0x10);
        assertEquals(0xff, img[0x234] & 0xff, "the command byte itself is not data");
        f.write(0x234, 1, 0x5a);
        assertEquals(0x5a, img[0x234] & 0xff);
        assertEquals(1, r.writes.size());
        assertArrayEquals(new int[]{0x234, 1}, r.writes.get(0));
        assertEquals(0x80, f.read(0x234, 1), "after a program reads return the status");
        f.write(0x234, 1, 0xff);
        assertEquals(0x5a, f.read(0x234, 1));
        // 0x40 is the same command; a 4-byte data write programs 4 bytes
        f.write(0x300, 1, 0x40);
        f.write(0x300, 4, 0x11223344L);
        f.write(0x300, 1, 0xff);
        assertEquals(0x11223344L, f.read(0x300, 4));
        assertArrayEquals(new int[]{0x300, 4}, r.writes.get(1));
    }

    @Test
    void blockEraseClearsOneSectorToOnes() {
        Recorder r = new Recorder();
        byte[] img = pattern(3 * CfiFlash.SECTOR);
        CfiFlash f = new CfiFlash(img, false, r);
        f.write(CfiFlash.SECTOR + 0x123, 1, 0x20);
        f.write(CfiFlash.SECTOR + 0x123, 1, 0xd0);
        assertEquals(0x80, f.read(CfiFlash.SECTOR, 1), "status after the confirm");
        f.write(CfiFlash.SECTOR, 1, 0xff);
        byte[] expect = pattern(3 * CfiFlash.SECTOR);
        Arrays.fill(expect, CfiFlash.SECTOR, 2 * CfiFlash.SECTOR, (byte) 0xff);
        assertArrayEquals(expect, img);
        assertEquals(1, r.writes.size());
        assertArrayEquals(new int[]{CfiFlash.SECTOR, CfiFlash.SECTOR}, r.writes.get(0));
    }

    @Test
    void readOnlyUnitRefusesProgramAndEraseWithStatusBits() {
        Recorder r = new Recorder();
        byte[] img = pattern(CfiFlash.SECTOR);
        CfiFlash f = new CfiFlash(img, true, r);
        f.write(8, 1, 0x10);
        f.write(8, 1, 0x00);
        assertEquals(0x80 | 0x10, f.read(8, 1), "program error");
        f.write(8, 1, 0x20);
        f.write(8, 1, 0xd0);
        assertEquals(0x80 | 0x10 | 0x20, f.read(8, 1), "erase error added");
        f.write(8, 1, 0x50);
        f.write(8, 1, 0x70);
        assertEquals(0, f.read(8, 1), "clear status clears the errors");
        assertArrayEquals(pattern(CfiFlash.SECTOR), img);
        assertTrue(r.writes.isEmpty());
    }

    @Test
    void cfiQueryAndDeviceId() {
        int size = 132 * CfiFlash.SECTOR; // OVMF_VARS_4M.fd: 528 KiB
        CfiFlash f = new CfiFlash(pattern(size), false, null);
        f.write(0x55, 1, 0x98);
        assertEquals('Q', f.read(0x10, 1));
        assertEquals('R', f.read(0x11, 1));
        assertEquals('Y', f.read(0x12, 1));
        assertEquals(0x01, f.read(0x13, 1), "Intel command set");
        assertEquals(131, f.read(0x2D, 1) | f.read(0x2E, 1) << 8, "blocks - 1");
        assertEquals(CfiFlash.SECTOR, (f.read(0x2F, 1) | f.read(0x30, 1) << 8) << 8, "block size / 256");
        assertEquals('P', f.read(0x31, 1));
        assertEquals(0, f.read(0x60, 1), "past the table");
        assertEquals('Q', f.read(0x1010, 1), "only the address's low byte counts");
        f.write(0, 1, 0x00); // not 0xFF: query mode stays, as QEMU
        assertEquals('Q', f.read(0x10, 1));
        f.write(0, 1, 0xff);
        assertEquals(pattern(size)[0x10] & 0xff, f.read(0x10, 1));
        f.write(0, 1, 0x90);
        assertEquals(0, f.read(0, 1), "manufacturer id");
        assertEquals(0, f.read(1, 1), "device id");
        f.write(0, 1, 0xff);
        assertEquals(pattern(size)[1] & 0xff, f.read(1, 1));
    }

    @Test
    void unknownCommandsReturnToReadArray() {
        byte[] img = pattern(CfiFlash.SECTOR);
        CfiFlash f = new CfiFlash(img, false, null);
        f.write(0, 1, 0x70);
        f.write(0, 1, 0x33); // not a command: back to the array
        assertEquals(img[0] & 0xff, f.read(0, 1));
        f.write(0, 1, 0x20);
        f.write(0, 1, 0x77); // bad erase confirm: read array (the sector was already erased, as QEMU)
        assertEquals(0xff, f.read(0, 1));
    }

    @Test
    void writeToBufferProgramsCountPlusOneBytes() {
        Recorder r = new Recorder();
        byte[] img = new byte[CfiFlash.SECTOR];
        CfiFlash f = new CfiFlash(img, false, r);
        f.write(0x40, 1, 0xe8);
        assertEquals(0x80, f.read(0x40, 1));
        f.write(0x40, 1, 2); // 3 bytes
        f.write(0x40, 1, 0xa1);
        f.write(0x41, 1, 0xa2);
        f.write(0x42, 1, 0xa3);
        f.write(0x40, 1, 0xd0);
        f.write(0x40, 1, 0xff);
        assertEquals(0xa3a2a1, f.read(0x40, 4));
        assertEquals(3, r.writes.size());
    }

    @Test
    void guestAddressesOutsideTheUnitAreIgnored() {
        Recorder r = new Recorder();
        byte[] img = pattern(CfiFlash.SECTOR);
        CfiFlash f = new CfiFlash(img, false, r);
        f.write(CfiFlash.SECTOR, 1, 0x10);
        f.write(CfiFlash.SECTOR, 1, 0x00);
        f.write(-1, 1, 0x20);
        assertEquals(img[0] & 0xff, f.read(0, 1), "still in read array mode");
        assertTrue(r.writes.isEmpty());
        assertEquals(0xffffff00L | (img[CfiFlash.SECTOR - 1] & 0xff), f.read(CfiFlash.SECTOR - 1, 4), "bytes past the end read as ones");
        f.write(CfiFlash.SECTOR - 2, 1, 0x10);
        f.write(CfiFlash.SECTOR - 2, 4, 0);
        assertArrayEquals(new int[]{CfiFlash.SECTOR - 2, 2}, r.writes.get(0), "a program crossing the end is cut");
        assertThrows(IllegalArgumentException.class, () -> new CfiFlash(new byte[100], false, null));
    }

    @Test
    void programsAndErasesAreInTheFileBeforeTheWriteReturns() throws IOException {
        Path vars = tmp.resolve("vars.fd");
        byte[] initial = pattern(4 * CfiFlash.SECTOR);
        Files.write(vars, initial);
        try (FlashFile file = FlashFile.open(vars)) {
            byte[] img = Files.readAllBytes(vars);
            CfiFlash f = new CfiFlash(img, false, file);
            f.write(2 * CfiFlash.SECTOR + 5, 1, 0x20);
            f.write(2 * CfiFlash.SECTOR + 5, 1, 0xd0);
            f.write(2 * CfiFlash.SECTOR + 9, 1, 0x10);
            f.write(2 * CfiFlash.SECTOR + 9, 1, 0x42);
            f.write(0, 1, 0xff);
            // read through another descriptor while the unit's file is still open: nothing buffered
            byte[] onDisk = Files.readAllBytes(vars);
            byte[] expect = initial.clone();
            Arrays.fill(expect, 2 * CfiFlash.SECTOR, 3 * CfiFlash.SECTOR, (byte) 0xff);
            expect[2 * CfiFlash.SECTOR + 9] = 0x42;
            assertArrayEquals(expect, onDisk);
            assertArrayEquals(expect, img);
        }
    }

    @Test
    void systemFlashStacksUnitsBelowFourGiB() throws IOException {
        Path code = tmp.resolve("code.fd"), vars = tmp.resolve("vars.fd");
        Files.write(code, pattern(16 * CfiFlash.SECTOR));
        Files.write(vars, pattern(4 * CfiFlash.SECTOR));
        try (SystemFlash sf = SystemFlash.open(List.of(new SystemFlash.UnitSpec(code, true), new SystemFlash.UnitSpec(vars, false)))) {
            assertEquals((1L << 32) - 16 * CfiFlash.SECTOR, sf.units().get(0).base());
            assertEquals((1L << 32) - 20 * CfiFlash.SECTOR, sf.units().get(1).base());
            assertTrue(sf.units().get(0).flash().readOnly());
            assertFalse(sf.units().get(1).flash().readOnly());
            assertEquals(sf.units().get(1).base(), sf.lowestBase());
        }
        Files.write(vars, new byte[5000]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SystemFlash.open(List.of(new SystemFlash.UnitSpec(vars, false))));
        assertTrue(e.getMessage().contains("multiple of 4096"), e.getMessage());
        Path big = tmp.resolve("big.fd");
        Files.write(big, new byte[6 << 20]);
        e = assertThrows(IllegalArgumentException.class,
                () -> SystemFlash.open(List.of(new SystemFlash.UnitSpec(big, true), new SystemFlash.UnitSpec(big, true))));
        assertTrue(e.getMessage().contains("8 MiB"), e.getMessage());
    }
}
