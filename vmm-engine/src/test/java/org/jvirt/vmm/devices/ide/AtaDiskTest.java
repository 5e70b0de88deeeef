package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.*;
import static org.jvirt.vmm.devices.ide.IdeTestDriver.*;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.jvirt.vmm.block.RawFileBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ATA hard disk driven through the primary channel's ports as SeaBIOS and Linux's ata_piix (PIO) drive it. */
class AtaDiskTest {

    @TempDir Path dir;

    private Path rawDisk(int sectors, long seed) throws Exception {
        byte[] b = new byte[sectors * 512];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve("disk" + seed + ".raw");
        Files.write(p, b);
        return p;
    }

    private IdeTestDriver driver(Path raw, boolean readOnly) throws Exception {
        return new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, readOnly), "SN-1234", "JVIRT HARDDISK"), null);
    }

    @Test
    void signaturesAfterSoftReset() throws Exception {
        Path iso = dir.resolve("empty.iso");
        Files.write(iso, new byte[20 * 2048]);
        IdeTestDriver d = new IdeTestDriver(new AtaDisk(new RawFileBackend(rawDisk(64, 1), false), "S", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"));
        d.select(1, 0);
        d.outb(COUNT, 0x55);
        d.softReset();
        assertEquals(0x50, d.inb(STATUS), "ATA: DRDY and DSC");
        assertEquals(0xA0, d.inb(DEVICE) & 0xB0, "master selected after reset");
        assertArrayEquals(new int[] {1, 1, 1, 0x00, 0x00}, new int[] {d.inb(ERROR), d.inb(COUNT), d.inb(LBA_LOW), d.inb(LBA_MID), d.inb(LBA_HIGH)});
        d.select(1, 0);
        assertEquals(0x00, d.inb(STATUS), "ATAPI: DRDY clear after reset");
        assertArrayEquals(new int[] {1, 1, 1, 0x14, 0xEB}, new int[] {d.inb(ERROR), d.inb(COUNT), d.inb(LBA_LOW), d.inb(LBA_MID), d.inb(LBA_HIGH)});
    }

    @Test
    void absentSlaveReadsStatusZeroAndLatchesRegisters() throws Exception {
        IdeTestDriver d = driver(rawDisk(64, 2), false);
        d.select(1, 0);
        d.outb(COUNT, 0x55);
        d.outb(LBA_LOW, 0xAA);
        assertEquals(0, d.inb(STATUS));
        assertEquals(0x55, d.inb(COUNT));
        assertEquals(0xAA, d.inb(LBA_LOW));
        d.outb(COMMAND, 0xEC);
        assertFalse(d.irq.level(), "no device answers");
        IdeTestDriver none = new IdeTestDriver(null, null);
        assertEquals(0, none.inb(STATUS));
        assertEquals(0, none.altStatus());
    }

    @Test
    void identifyDevice() throws Exception {
        IdeTestDriver d = driver(rawDisk(20000, 3), false);
        byte[] id = d.identify(0, 0xEC);
        assertEquals(0x0040, word(id, 0));
        assertEquals("SN-1234", ataString(id, 10, 10));
        assertEquals("JVIRT HARDDISK", ataString(id, 27, 20));
        assertEquals("2.5+", ataString(id, 23, 4));
        assertEquals(20000, word(id, 60) | word(id, 61) << 16, "LBA28 capacity");
        assertEquals(20000, word(id, 100) | word(id, 101) << 16, "LBA48 capacity");
        assertEquals(0, word(id, 102) | word(id, 103));
        assertEquals(20000 / (16 * 63), word(id, 1));
        assertEquals(16, word(id, 3));
        assertEquals(63, word(id, 6));
        assertEquals(0x8010, word(id, 47), "READ/WRITE MULTIPLE up to 16 sectors");
        assertNotEquals(0, word(id, 49) & (1 << 9), "LBA supported");
        assertNotEquals(0, word(id, 83) & (1 << 10), "48-bit addresses");
        assertEquals(0xA5, word(id, 255) & 0xFF);
        int sum = 0;
        for (byte b : id) sum += b;
        assertEquals(0, sum & 0xFF, "integrity word checksum");
        assertEquals(0, d.irq.risingEdges() - 1, "one interrupt with the data");
    }

    @Test
    void readAndWriteSectorsOnARawFile() throws Exception {
        Path raw = rawDisk(256, 4);
        byte[] file = Files.readAllBytes(raw);
        IdeTestDriver d = driver(raw, false);
        d.command28(0, 0x20, 5, 3, 0);
        assertArrayEquals(Arrays.copyOfRange(file, 5 * 512, 8 * 512), d.pioIn(3, 1));

        byte[] data = new byte[2 * 512];
        new Random(9).nextBytes(data);
        d.command28(0, 0x30, 100, 2, 0);
        assertFalse(d.irq.level(), "no interrupt before the first block");
        d.pioOut(data, 1);
        d.command48(0, 0xEA, 0, 0); // FLUSH CACHE EXT
        assertEquals(0x50, d.inb(STATUS));
        byte[] after = Files.readAllBytes(raw);
        assertArrayEquals(data, Arrays.copyOfRange(after, 100 * 512, 102 * 512));
        assertArrayEquals(Arrays.copyOf(file, 100 * 512), Arrays.copyOf(after, 100 * 512), "nothing else changed");
        assertArrayEquals(Arrays.copyOfRange(file, 102 * 512, file.length), Arrays.copyOfRange(after, 102 * 512, after.length));

        d.command28(0, 0x20, 255, 0, 0); // count 0 = 256 sectors: past the end
        assertEquals(0x41, d.inb(STATUS), "DRDY ERR");
        assertEquals(0x10, d.inb(ERROR), "IDNF");
        d.command48(0, 0x24, 0, 256); // READ SECTORS EXT, the whole disk
        assertArrayEquals(after, d.pioIn(256, 1));
    }

    @Test
    void lba48BeyondTheLba28Limit() throws Exception {
        Path sparse = dir.resolve("big.raw");
        long sectors = (1L << 28) + 4096;
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) { f.setLength(sectors * 512); }
        IdeTestDriver d = driver(sparse, false);
        byte[] id = d.identify(0, 0xEC);
        assertEquals(0x0FFF_FFFF, word(id, 60) | word(id, 61) << 16, "LBA28 capacity saturates");
        assertEquals(sectors, (long) word(id, 100) | (long) word(id, 101) << 16 | (long) word(id, 102) << 32);
        long lba = (1L << 28) + 1000;
        byte[] data = new byte[512 * 3];
        new Random(5).nextBytes(data);
        d.command48(0, 0x34, lba, 3);
        d.pioOut(data, 1);
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "r")) {
            byte[] got = new byte[data.length];
            f.seek(lba * 512);
            f.readFully(got);
            assertArrayEquals(data, got, "the write landed at byte " + lba * 512);
        }
        d.command48(0, 0x24, lba - 1, 5);
        byte[] back = d.pioIn(5, 1);
        assertArrayEquals(data, Arrays.copyOfRange(back, 512, 512 * 4));
        d.command48(0, 0x24, sectors - 1, 2);
        assertEquals(0x10, d.inb(ERROR), "IDNF past the end");
    }

    @Test
    void readAndWriteMultiple() throws Exception {
        Path raw = rawDisk(64, 6);
        byte[] file = Files.readAllBytes(raw);
        IdeTestDriver d = driver(raw, false);
        assertEquals(0x0110, word(d.identify(0, 0xEC), 59), "16 sectors per block from reset, as QEMU's");
        d.command28(0, 0xC6, 0, 0, 0);
        assertEquals(0x50, d.inb(STATUS), "SET MULTIPLE MODE 0 turns READ/WRITE MULTIPLE off");
        d.command28(0, 0xC4, 0, 10, 0);
        assertEquals(0x41, d.inb(STATUS), "READ MULTIPLE without a block size aborts");
        assertEquals(0x04, d.inb(ERROR));
        d.command28(0, 0xC6, 0, 3, 0);
        assertEquals(0x04, d.inb(ERROR), "3 is not a power of two");
        d.command28(0, 0xC6, 0, 4, 0);
        assertEquals(0x50, d.inb(STATUS));
        assertEquals(0x0104, word(d.identify(0, 0xEC), 59));
        int before = d.irq.risingEdges();
        d.command28(0, 0xC4, 2, 10, 0);
        assertArrayEquals(Arrays.copyOfRange(file, 1024, 1024 + 5120), d.pioIn(10, 4));
        assertEquals(3, d.irq.risingEdges() - before, "blocks of 4, 4 and 2 sectors");
        byte[] data = new byte[6 * 512];
        new Random(7).nextBytes(data);
        d.command48(0, 0x39, 20, 6); // WRITE MULTIPLE EXT
        d.pioOut(data, 4);
        assertArrayEquals(data, Arrays.copyOfRange(Files.readAllBytes(raw), 20 * 512, 26 * 512));
    }

    @Test
    void chsAddressingWithInitializedGeometry() throws Exception {
        Path raw = rawDisk(2048, 8);
        byte[] file = Files.readAllBytes(raw);
        IdeTestDriver d = driver(raw, false);
        d.outb(COUNT, 17);
        d.outb(DEVICE, 0xA0 | 3); // 4 heads
        d.outb(COMMAND, 0x91);
        assertEquals(0x50, d.inb(STATUS));
        // C/H/S 2/1/5 = (2*4 + 1)*17 + 4 = 157
        d.outb(COUNT, 1);
        d.outb(LBA_LOW, 5);
        d.outb(LBA_MID, 2);
        d.outb(LBA_HIGH, 0);
        d.outb(DEVICE, 0xA0 | 1);
        d.outb(COMMAND, 0x20);
        assertArrayEquals(Arrays.copyOfRange(file, 157 * 512, 158 * 512), d.pioIn(1, 1));
        d.outb(LBA_LOW, 0); // sector 0 does not exist
        d.outb(COMMAND, 0x20);
        assertEquals(0x10, d.inb(ERROR));
    }

    @Test
    void interruptsFollowNienAndTheStatusRead() throws Exception {
        IdeTestDriver d = driver(rawDisk(64, 10), false);
        d.command28(0, 0x40, 0, 8, 0); // READ VERIFY
        assertTrue(d.irq.level());
        assertEquals(0x50, d.altStatus());
        assertTrue(d.irq.level(), "the alternate status does not acknowledge");
        d.deviceControl(0x02);
        assertFalse(d.irq.level(), "nIEN masks the line");
        d.deviceControl(0x00);
        assertTrue(d.irq.level(), "still pending");
        assertEquals(0x50, d.inb(STATUS));
        assertFalse(d.irq.level());
    }

    @Test
    void commonAndRefusedCommands() throws Exception {
        IdeTestDriver d = driver(rawDisk(64, 11), true);
        d.command28(0, 0x30, 0, 1, 0);
        assertEquals(0x41, d.inb(STATUS), "write to a read-only disk aborted");
        assertEquals(0x04, d.inb(ERROR));
        d.command28(0, 0xE5, 0, 0, 0);
        assertEquals(0x50, d.inb(STATUS));
        assertEquals(0xFF, d.inb(COUNT), "CHECK POWER MODE: active");
        d.command28(0, 0xEF, 0, 0x0C, 0x03); // SET FEATURES: PIO mode 4
        assertEquals(0x50, d.inb(STATUS));
        d.command28(0, 0xEF, 0, 0x45, 0x03); // UDMA 5: no DMA yet
        assertEquals(0x41, d.inb(STATUS));
        for (int cmd : new int[] {0x00, 0x08, 0xA0, 0xA1, 0xFF, 0xB0}) {
            d.command28(0, cmd, 0, 0, 0);
            assertEquals(0x41, d.inb(STATUS), "command " + Integer.toHexString(cmd) + " aborted");
            assertEquals(0x04, d.inb(ERROR));
        }
        d.command28(0, 0x90, 0, 0, 0); // EXECUTE DEVICE DIAGNOSTIC
        assertEquals(0x01, d.inb(ERROR));
        assertEquals(1, d.inb(COUNT));
        assertEquals(0x50, d.inb(STATUS));
    }

    @Test
    void hobReadsThePreviousRegisterValues() throws Exception {
        IdeTestDriver d = driver(rawDisk(64, 12), false);
        d.outb(LBA_LOW, 0x12);
        d.outb(LBA_LOW, 0x34);
        d.deviceControl(0x80);
        assertEquals(0x12, d.inb(LBA_LOW));
        d.deviceControl(0x00);
        assertEquals(0x34, d.inb(LBA_LOW));
    }
}
