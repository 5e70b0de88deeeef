package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.jvirt.vmm.block.RawFileBackend;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PIIX3 bus master driving READ/WRITE DMA and ATAPI DMA as Linux's ata_piix (libata's bmdma
 * code) and SeaBIOS's ata.c do: table address, direction, command, start; one interrupt at the
 * end with the bus master's INTERRUPT bit; ACTIVE as QEMU leaves it; short and hostile tables.
 */
class BusMasterDmaTest {
    static final int BM = IdeTestDriver.BUS_MASTER, CMD = BM, STATUS = BM + 2, PRDT = BM + 4;
    static final int TABLE = 0x1000, EOT = 0x8000_0000;
    static final int N = 160;

    @TempDir Path dir;
    HeapGuestMemory memory = new HeapGuestMemory(4 << 20);
    byte[] diskBytes = new byte[512 * 512];
    byte[] isoBytes = new byte[64 * 2048];
    Path raw, iso;
    IdeTestDriver d;

    @BeforeEach
    void setUp() throws Exception {
        new Random(7).nextBytes(diskBytes);
        new Random(8).nextBytes(isoBytes);
        raw = Files.write(dir.resolve("d.raw"), diskBytes);
        iso = Files.write(dir.resolve("c.iso"), isoBytes);
        d = driver();
    }

    private IdeTestDriver driver() throws Exception {
        return new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, false), "S", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"), memory);
    }

    /** Writes table entries {address, bytes} (bytes 65536 written as 0), the last with end-of-table. */
    private void table(long... entries) {
        for (int i = 0; i < entries.length; i += 2) {
            int count = (int) (entries[i + 1] & 0xFFFF) | (i + 2 == entries.length ? EOT : 0);
            memory.writeInt(TABLE + 4L * i, (int) entries[i]);
            memory.writeInt(TABLE + 4L * i + 4, count);
        }
        d.pio.write(PRDT, 4, TABLE);
    }

    private int bmStatus() { return (int) d.pio.read(STATUS, 1); }

    private void start(boolean toMemory) { d.pio.write(CMD, 1, (toMemory ? 0x08 : 0) | 0x01); }

    private byte[] mem(long at, int len) {
        byte[] b = new byte[len];
        memory.read(at, b, 0, len);
        return b;
    }

    @Test
    void readDmaAsLinuxIssuesIt() {
        // 160 sectors (ten 16-sector blocks) into three regions, the middle one 64 KiB (count 0)
        table(0x10000, 4096, 0x40000, 0x10000, 0x80000, N * 512 - 4096 - 0x10000);
        d.pio.write(CMD, 1, 0x08); // direction first (ata_bmdma_setup), then the command, then start
        d.command28(0, 0xC8, 100, N, 0);
        assertFalse(d.irq.level(), "no interrupt before the data moved");
        assertEquals(0x58, d.inb(IdeTestDriver.STATUS), "ready, DRQ: waiting for the engine (QEMU's ide_sector_start_dma)");
        start(true);
        assertTrue(d.irq.level(), "the command's one interrupt");
        assertEquals(1, d.irq.risingEdges());
        assertEquals(BusMasterDma.INTERRUPT, bmStatus(), "INTERRUPT set, ACTIVE clear: the table was used up");
        byte[] want = Arrays.copyOfRange(diskBytes, 100 * 512, (100 + N) * 512);
        byte[] got = new byte[N * 512];
        System.arraycopy(mem(0x10000, 4096), 0, got, 0, 4096);
        System.arraycopy(mem(0x40000, 0x10000), 0, got, 4096, 0x10000);
        System.arraycopy(mem(0x80000, N * 512 - 4096 - 0x10000), 0, got, 4096 + 0x10000, N * 512 - 4096 - 0x10000);
        assertArrayEquals(want, got);
        d.pio.write(CMD, 1, 0x08); // ata_bmdma_stop
        assertEquals(0x50, d.inb(IdeTestDriver.STATUS));
        assertFalse(d.irq.level(), "the status read acknowledged it");
        assertEquals((100 + N) & 0xFF, d.inb(IdeTestDriver.LBA_LOW), "the address registers at the next sector, as QEMU's");
        d.pio.write(STATUS, 1, BusMasterDma.INTERRUPT | BusMasterDma.ERROR);
        assertEquals(0, bmStatus(), "write 1 to clear");
    }

    @Test
    void startBeforeTheCommandAlsoMovesTheData() {
        table(0x20000, 512 * 3);
        start(true);
        assertEquals(BusMasterDma.ACTIVE, bmStatus());
        d.command28(0, 0xC8, 7, 3, 0);
        assertEquals(BusMasterDma.INTERRUPT, bmStatus());
        assertArrayEquals(Arrays.copyOfRange(diskBytes, 7 * 512, 10 * 512), mem(0x20000, 3 * 512));
    }

    @Test
    void writeDmaExtStoresGuestMemory() throws Exception {
        byte[] data = new byte[20 * 512];
        new Random(9).nextBytes(data);
        memory.write(0x30000, data, 0, 7 * 512);
        memory.write(0x90000, data, 7 * 512, 13 * 512);
        table(0x30000, 7 * 512, 0x90000, 13 * 512);
        d.command48(0, 0x35, 300, 20);
        assertEquals(0x58, d.inb(IdeTestDriver.STATUS));
        start(false);
        assertEquals(1, d.irq.risingEdges(), "one interrupt, at the end");
        assertEquals(0x50, d.inb(IdeTestDriver.STATUS));
        byte[] disk = Files.readAllBytes(raw);
        assertArrayEquals(data, Arrays.copyOfRange(disk, 300 * 512, 320 * 512));
    }

    @Test
    void aTableLongerThanTheCommandStaysActive() {
        table(0x20000, 8 * 512);
        d.command28(0, 0xC8, 0, 2, 0);
        start(true);
        assertEquals(BusMasterDma.ACTIVE | BusMasterDma.INTERRUPT, bmStatus(), "QEMU keeps ACTIVE when the table describes more");
        assertEquals(0x50, d.inb(IdeTestDriver.STATUS));
    }

    @Test
    void aTableTooShortEndsTheCommandWithoutAnInterrupt() {
        table(0x20000, 2 * 512);
        d.command28(0, 0xC8, 0, 5, 0);
        start(true);
        assertFalse(d.irq.level(), "no interrupt (QEMU's ide_dma_cb): the driver's timeout handles it");
        assertEquals(0, bmStatus() & (BusMasterDma.ACTIVE | BusMasterDma.INTERRUPT));
        assertEquals(0x50, d.inb(IdeTestDriver.STATUS), "ready for the next command");
        d.command28(0, 0x20, 3, 1, 0); // PIO still works after it
        assertArrayEquals(Arrays.copyOfRange(diskBytes, 3 * 512, 4 * 512), d.pioIn(1, 1));
    }

    @Test
    void tablesOutsideRamSetErrorAndTouchNothing() {
        d.pio.write(PRDT, 4, 0xFFFF_F000L);
        d.command28(0, 0xC8, 0, 1, 0);
        start(true);
        assertEquals(BusMasterDma.ERROR, bmStatus() & (BusMasterDma.ERROR | BusMasterDma.ACTIVE));
        d.pio.write(CMD, 1, 0);
        d.pio.write(STATUS, 1, BusMasterDma.ERROR | BusMasterDma.INTERRUPT);
        table(0x3FFF00, 1024); // the region runs past the end of RAM
        d.command28(0, 0xC8, 0, 2, 0);
        start(true);
        assertEquals(BusMasterDma.ERROR, bmStatus() & (BusMasterDma.ERROR | BusMasterDma.ACTIVE));
        assertEquals(0, memory.rejectedAccesses(), "checked before every access");
    }

    @Test
    void atapiReadByDma() {
        table(0x50000, 3 * 2048);
        d.select(1, 0);
        d.outb(IdeTestDriver.FEATURE, 0x01); // DMA
        d.outb(IdeTestDriver.COMMAND, 0xA0);
        assertEquals(0x08, d.inb(IdeTestDriver.STATUS) & 0x88, "the CDB by PIO first");
        start(true);
        assertEquals(BusMasterDma.ACTIVE, bmStatus(), "nothing to move while the CDB is awaited");
        byte[] cdb = {0x28, 0, 0, 0, 0, 5, 0, 0, 3, 0, 0, 0};
        d.writeWords(cdb, 0, 6);
        assertTrue(d.irq.level());
        assertEquals(BusMasterDma.INTERRUPT, bmStatus());
        assertEquals(0x50, d.inb(IdeTestDriver.STATUS));
        assertEquals(3, d.inb(IdeTestDriver.COUNT) & 3, "interrupt reason: status");
        assertArrayEquals(Arrays.copyOfRange(isoBytes, 5 * 2048, 8 * 2048), mem(0x50000, 3 * 2048));
    }

    @Test
    void identifyOffersDmaModesAndSetFeaturesTakesUdma5() {
        byte[] id = d.identify(0, 0xEC);
        assertEquals(0x0100, IdeTestDriver.word(id, 49) & 0x0100, "DMA supported");
        assertEquals(0x0007, IdeTestDriver.word(id, 63) & 0x00FF, "multiword DMA 0-2");
        assertEquals(0x003F, IdeTestDriver.word(id, 88) & 0x00FF, "Ultra DMA 0-5");
        d.command28(0, 0xEF, 0, 0x45, 0x03);
        assertEquals(0x50, d.inb(IdeTestDriver.STATUS) & 0x51);
        assertEquals(0x203F, IdeTestDriver.word(d.identify(0, 0xEC), 88), "UDMA5 selected");
    }

    @Test
    void aDmaCommandWaitingForTheEngineSurvivesASaveAndRestore() throws Exception {
        table(0x20000, 4 * 512);
        d.command28(0, 0xC8, 9, 4, 0);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        d.channel.saveState(new DataOutputStream(saved));
        memory = new HeapGuestMemory(4 << 20); // the restored machine's RAM holds the table too
        IdeTestDriver restored = driver();
        d = restored;
        table(0x20000, 4 * 512);
        restored.channel.loadState(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())), IdeChannel.STATE_VERSION);
        start(true);
        assertEquals(BusMasterDma.INTERRUPT, bmStatus());
        assertArrayEquals(Arrays.copyOfRange(diskBytes, 9 * 512, 13 * 512), mem(0x20000, 4 * 512));
    }

    @Test
    void registerWidthsAsQemusPiix() {
        assertEquals(0xFFFF, d.pio.read(CMD, 2), "command and status are byte registers");
        d.pio.write(PRDT + 2, 2, 0x0012);
        d.pio.write(PRDT, 2, 0x3457);
        assertEquals(0x0012_3454, d.pio.read(PRDT, 4));
        assertEquals(0x12, d.pio.read(PRDT + 2, 1));
        d.pio.write(STATUS, 1, 0xFF);
        assertEquals(0x60, bmStatus(), "ACTIVE is read-only, simplex always 0");
    }
}
