package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.jvirt.vmm.devices.pci.PciIrqRouting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtioBlockTest {

    static final long HDR = 0x20000, STATUS = 0x21000, DATA = 0x30000, DATA2 = 0x40000;
    static final int NEEDS_RESET = 0x40;

    @TempDir Path dir;
    Path image;
    VirtioBlock blk;
    VirtioTestDriver d;

    @BeforeEach
    void setUp() throws Exception {
        image = dir.resolve("disk.img");
        byte[] content = new byte[64 * 512 + 100]; // a partial last sector is not exposed
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i / 512);
        Files.write(image, content);
        blk = new VirtioBlock(image, false, "jvirt-disk-0");
        d = new VirtioTestDriver(blk);
    }

    @AfterEach
    void tearDown() throws Exception {
        blk.close();
    }

    int statusByte() { return d.mem.readByte(STATUS) & 0xFF; }

    @Test
    void identityCapacityAndFeatures() {
        assertEquals(0x1042, d.cfgRead(2, 2));
        assertEquals(0x01, d.cfgRead(0x0B, 1), "mass storage class");
        assertEquals(64, d.mmio.read(d.device, 8), "capacity in sectors");
        assertEquals(512, d.mmio.read(d.device + 0x14, 4), "blk_size");
        long f = d.deviceFeatures();
        assertNotEquals(0, f & VirtioDevice.F_VERSION_1);
        assertNotEquals(0, f & VirtioBlock.F_FLUSH);
        assertEquals(0, f & VirtioBlock.F_RO);
    }

    @Test
    void featureNegotiationRequiresVersion1AndASubset() {
        assertEquals(0x3, d.initialize(VirtioBlock.F_FLUSH) & 0xB, "legacy-only driver refused");
        assertEquals(0x3, d.initialize(VirtioDevice.F_VERSION_1 | 1L << 40) & 0xB, "unoffered feature refused");
        assertEquals(0xF, d.initialize());
    }

    @Test
    void writeThenReadBackThroughTheQueueWithIntx() throws Exception {
        assertEquals(0xF, d.initialize());
        byte[] pattern = new byte[1024];
        Arrays.fill(pattern, (byte) 0x5A);
        d.mem.write(DATA, pattern, 0, pattern.length);
        d.header(HDR, VirtioBlock.T_OUT, 3);
        int head = d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 1024, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(1, d.usedIdx());
        assertEquals(head, d.usedId(0));
        assertEquals(1, d.usedLen(0), "only the status byte written");
        assertEquals(VirtioBlock.S_OK, statusByte());
        byte[] file = Files.readAllBytes(image);
        for (int i = 3 * 512; i < 5 * 512; i++) assertEquals(0x5A, file[i]);
        assertEquals(5, file[5 * 512]);

        var line = d.gsis[PciIrqRouting.gsi(d.slot, 0)];
        assertTrue(line.level(), "INTx asserted without MSI-X");
        assertEquals(1, d.mmio.read(d.isr, 1));
        assertFalse(line.level(), "ISR read de-asserts");
        assertEquals(0, d.mmio.read(d.isr, 1));

        d.header(HDR, VirtioBlock.T_IN, 2);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA2, 512, 1}, new long[] {DATA2 + 512, 1024, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(2, d.usedIdx());
        assertEquals(1536 + 1, d.usedLen(1));
        byte[] got = new byte[1536];
        d.mem.read(DATA2, got, 0, got.length);
        for (int i = 0; i < 512; i++) assertEquals(2, got[i]);
        for (int i = 512; i < 1536; i++) assertEquals(0x5A, got[i]);
    }

    @Test
    void flushGetIdAndUnsupported() {
        d.initialize();
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_OK, statusByte());
        d.header(HDR, VirtioBlock.T_GET_ID, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 20, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        byte[] id = new byte[20];
        d.mem.read(DATA, id, 0, 20);
        assertEquals("jvirt-disk-0", new String(id, StandardCharsets.US_ASCII).trim());
        assertEquals(21, d.usedLen(1));
        d.header(HDR, 11 /* DISCARD, not offered */, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_UNSUPP, statusByte());
    }

    @Test
    void msixVectorPerQueue() {
        d.initialize();
        int cap = (int) d.cfgRead(0x34, 1);
        while (d.cfgRead(cap, 1) != 0x11) cap = (int) d.cfgRead(cap + 1, 1);
        long table = d.bar0 + (d.cfgRead(cap + 4, 4) & ~7L);
        d.cfgWrite(cap + 2, 2, 0x8000); // MSI-X enable
        d.mmio.write(table + 16, 4, 0xFEE0_0000L);
        d.mmio.write(table + 24, 4, 0x31);
        d.mmio.write(table + 28, 4, 0);
        d.mmio.write(d.common + 0x16, 2, 0);
        d.mmio.write(d.common + 0x1A, 2, 1);
        assertEquals(1, d.mmio.read(d.common + 0x1A, 2));
        d.mmio.write(d.common + 0x1A, 2, 9);
        assertEquals(0xFFFF, d.mmio.read(d.common + 0x1A, 2), "vector beyond the table is refused");
        d.mmio.write(d.common + 0x1A, 2, 1);
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(1, d.msis.size());
        assertArrayEquals(new long[] {0xFEE0_0000L, 0x31}, d.msis.get(0));
        assertFalse(d.gsis[PciIrqRouting.gsi(d.slot, 0)].level(), "no INTx with MSI-X on");
    }

    @Test
    void indirectDescriptors() {
        d.initialize();
        d.header(HDR, VirtioBlock.T_IN, 7);
        d.desc(VirtioTestDriver.INDIRECT, 0, HDR, 16, 1, 1);
        d.desc(VirtioTestDriver.INDIRECT, 1, DATA, 512, 3, 2);
        d.desc(VirtioTestDriver.INDIRECT, 2, STATUS, 1, 2, 0);
        d.desc(VirtioTestDriver.DESC, 5, VirtioTestDriver.INDIRECT, 48, 4, 0);
        d.publish(5);
        d.kick(0);
        assertEquals(1, d.usedIdx());
        assertEquals(5, d.usedId(0));
        assertEquals(VirtioBlock.S_OK, statusByte());
        assertEquals(7, d.mem.readByte(DATA + 100));
    }

    @Test
    void countersAsQueryBlockstats() {
        d.initialize();
        d.header(HDR, VirtioBlock.T_OUT, 3);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 1024, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        d.header(HDR, VirtioBlock.T_IN, 2);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA2, 512, 1}, new long[] {DATA2 + 512, 1024, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        d.header(HDR, VirtioBlock.T_IN, 1L << 40);   // beyond the capacity: a failed read
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 512, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        d.header(HDR, VirtioBlock.T_GET_ID, 0);        // not I/O: not counted
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 20, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(java.util.Map.of("rd_operations", 1L, "rd_bytes", 1536L, "wr_operations", 1L, "wr_bytes", 1024L,
                "flush_operations", 1L, "failed_rd_operations", 1L, "failed_wr_operations", 0L,
                "failed_flush_operations", 0L), blk.counters().toMap());
    }

    @Test
    void readOnlyImageFailsWritesWithIoerr() throws Exception {
        VirtioBlock ro = new VirtioBlock(image, true, "ro");
        try {
            VirtioTestDriver r = new VirtioTestDriver(ro);
            assertNotEquals(0, r.deviceFeatures() & VirtioBlock.F_RO);
            assertEquals(0xF, r.initialize(VirtioDevice.F_VERSION_1 | VirtioBlock.F_RO));
            byte[] before = Files.readAllBytes(image);
            r.header(HDR, VirtioBlock.T_OUT, 0);
            r.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 512, 0}, new long[] {STATUS, 1, 1});
            r.kick(0);
            assertEquals(VirtioBlock.S_IOERR, r.mem.readByte(STATUS));
            assertArrayEquals(before, Files.readAllBytes(image));
            r.header(HDR, VirtioBlock.T_IN, 1);
            r.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 512, 1}, new long[] {STATUS, 1, 1});
            r.kick(0);
            assertEquals(VirtioBlock.S_OK, r.mem.readByte(STATUS));
            assertEquals(1, r.mem.readByte(DATA));
        } finally {
            ro.close();
        }
    }

    // ---- hostile drivers ----

    @Test
    void dataOutsideRamIsIoerrWithoutTouchingIt() {
        d.initialize();
        d.header(HDR, VirtioBlock.T_IN, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {0x7000_0000L, 512, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_IOERR, statusByte());
        assertEquals(1, d.usedIdx());
        assertEquals(0, d.mem.rejectedAccesses(), "caught by the range check, no access attempted");
        assertEquals(0xF, d.status(), "a per-request error, the device keeps working");
        d.header(HDR, VirtioBlock.T_IN, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {-512L, 1024, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_IOERR, statusByte(), "address wrapping around 2^64");
    }

    @Test
    void hugeLengthAndBeyondCapacityAreIoerr() {
        d.initialize();
        d.header(HDR, VirtioBlock.T_IN, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 0xFFFF_FFF0L, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_IOERR, statusByte());
        d.header(HDR, VirtioBlock.T_OUT, 63);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 1024, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_IOERR, statusByte(), "runs past the last sector");
        d.header(HDR, VirtioBlock.T_IN, Long.MAX_VALUE / 256);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 512, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_IOERR, statusByte(), "sector * 512 would overflow");
        d.header(HDR, VirtioBlock.T_IN, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 100, 1}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(VirtioBlock.S_IOERR, statusByte(), "not whole sectors");
        assertEquals(0xF, d.status());
    }

    @Test
    void loopingChainNeedsResetAndResetRecovers() {
        d.initialize();
        d.header(HDR, VirtioBlock.T_IN, 0);
        d.desc(VirtioTestDriver.DESC, 0, HDR, 16, 1, 1);
        d.desc(VirtioTestDriver.DESC, 1, DATA, 512, 3, 0); // back to 0: a loop
        d.publish(0);
        d.kick(0);
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);
        assertEquals(0, d.usedIdx());
        assertEquals(2, d.mmio.read(d.isr, 1) & 2, "config-change interrupt");
        d.kick(0); // ignored while broken
        assertEquals(0, d.usedIdx());
        d.setStatus(0x4F); // the driver cannot clear NEEDS_RESET itself
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);
        assertEquals(0xF, d.initialize(), "reset clears it");
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(1, d.usedIdx());
    }

    @Test
    void loopOfSameDirectionDescriptorsEndsAtTheQueueSize() {
        d.initialize();
        d.desc(VirtioTestDriver.DESC, 0, DATA, 512, 2 | 1, 1);
        d.desc(VirtioTestDriver.DESC, 1, DATA2, 512, 2 | 1, 0); // writable loop 0 -> 1 -> 0
        d.publish(0);
        d.kick(0);
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);
        assertTrue(d.dev.lastError().contains("longer than the queue"), d.dev.lastError());
    }

    @Test
    void loopInsideAnIndirectTable() {
        d.initialize();
        d.desc(VirtioTestDriver.INDIRECT, 0, HDR, 16, 1, 1);
        d.desc(VirtioTestDriver.INDIRECT, 1, DATA, 16, 1, 0); // readable loop inside the table
        d.desc(VirtioTestDriver.DESC, 0, VirtioTestDriver.INDIRECT, 32, 4, 0);
        d.publish(0);
        d.kick(0);
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);
    }

    @Test
    void malformedRingsNeedReset() {
        d.initialize();
        d.publish(200); // head beyond queue size 16
        d.kick(0);
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);

        d.initialize();
        d.mem.writeShort(VirtioTestDriver.AVAIL + 2, (short) 1000); // avail index far ahead
        d.kick(0);
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);

        d.initialize();
        d.desc(VirtioTestDriver.DESC, 0, VirtioTestDriver.INDIRECT, 32, 4 | 1, 1); // indirect + next
        d.publish(0);
        d.kick(0);
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);

        d.initialize();
        d.header(HDR, VirtioBlock.T_IN, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {0x7FFF_0000L, 1, 1}); // status byte outside RAM
        d.kick(0);
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);
        assertEquals(0, d.mem.rejectedAccesses());
    }

    @Test
    void queueAreasOutsideRamRefusedAtEnable() {
        d.setStatus(0);
        d.setStatus(1);
        d.setStatus(3);
        d.mmio.write(d.common + 0x08, 4, 1);
        d.mmio.write(d.common + 0x0C, 4, 1);
        d.setStatus(0xB);
        d.mmio.write(d.common + 0x16, 2, 0);
        d.mmio.write(d.common + 0x20, 4, 0xFFFF_F000L);
        d.mmio.write(d.common + 0x1C, 2, 1);
        assertEquals(0, d.mmio.read(d.common + 0x1C, 2), "not enabled");
        assertEquals(NEEDS_RESET, d.status() & NEEDS_RESET);
    }

    @Test
    void badQueueIndexAndOddAccessesAreHarmless() {
        d.initialize();
        d.kick(5);
        d.mmio.write(d.notify + 0x7F0, 4, 0);
        d.mmio.write(d.common + 0x16, 2, 9); // select a queue that does not exist
        assertEquals(0, d.mmio.read(d.common + 0x18, 2));
        d.mmio.write(d.common + 0x1C, 2, 1);
        d.mmio.write(d.common + 0x20, 4, 0x1234);
        assertEquals(0, d.mmio.read(d.common + 0x20, 4));
        d.mmio.read(d.bar0 + 0x7FF8, 8);
        d.mmio.write(d.device + 0x10, 4, 0xFFFF_FFFFL); // device config is read-only
        assertEquals(64, d.mmio.read(d.device, 8));
        assertEquals(0xF, d.status());
    }

    @Test
    void noDmaWithoutBusMaster() {
        d.initialize();
        d.cfgWrite(0x04, 2, d.cfgRead(0x04, 2) & ~0x4);
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(0, d.usedIdx());
        d.cfgWrite(0x04, 2, d.cfgRead(0x04, 2) | 0x4);
        d.kick(0);
        assertEquals(1, d.usedIdx());
    }

    @Test
    void snapshotRoundTripContinuesTheRing() throws Exception {
        d.initialize();
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        d.dev.saveState(new DataOutputStream(b));

        VirtioPciDevice copy = new VirtioPciDevice(blk, d.mem, (a, x) -> { });
        copy.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertEquals(0xF, copy.status());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        copy.saveState(new DataOutputStream(again));
        assertArrayEquals(b.toByteArray(), again.toByteArray());
        // The restored transport continues where the original stopped.
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        copy.notifyQueueFromHost(0);
        assertEquals(2, d.usedIdx());
        assertEquals(2, d.usedId(1), "second chain (descriptors 2-3) returned");
    }

    @Test
    void machineResetReturnsTransportToPowerOn() {
        d.initialize();
        int cap = (int) d.cfgRead(0x34, 1);
        while (d.cfgRead(cap, 1) != 0x11) cap = (int) d.cfgRead(cap + 1, 1);
        d.cfgWrite(cap + 2, 2, 0x8000);
        d.bridge.reset();
        assertEquals(0, d.status());
        assertEquals(0, d.cfgRead(cap + 2, 2) & 0x8000, "MSI-X disabled again");
        assertEquals(0, d.cfgRead(0x04, 2) & 0x4, "bus mastering off until the driver enables it");
        d.cfgWrite(0x04, 2, d.cfgRead(0x04, 2) | 0x4);
        assertEquals(0xF, d.initialize());
        d.header(HDR, VirtioBlock.T_FLUSH, 0);
        d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
        d.kick(0);
        assertEquals(1, d.usedIdx());
    }
}
