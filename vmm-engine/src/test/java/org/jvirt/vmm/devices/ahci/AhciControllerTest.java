package org.jvirt.vmm.devices.ahci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.devices.ide.AtaDisk;
import org.jvirt.vmm.devices.ide.AtapiCdrom;
import org.jvirt.vmm.devices.ide.IdeDevice;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

/** The AHCI controller's own behaviour: where commands run, interrupts (INTA, MSI), quiesce, data paths, PCI identity. */
class AhciControllerTest {
    final HeapGuestMemory mem = new HeapGuestMemory(4 << 20);
    final MemoryDisk disk = new MemoryDisk(1024 * 512, false);
    final MemoryDisk media = new MemoryDisk(32 * 2048, true);
    final List<long[]> messages = new ArrayList<>();
    final AhciController hba = new AhciController(mem, (a, d) -> {
        synchronized (messages) {
            messages.add(new long[] {a, d});
        }
    }, new IdeDevice[] {new AtaDisk(disk, "S", "M"), new AtapiCdrom(media, "C")});
    /** Runs the issued commands on the test's thread; the I/O thread tests use {@link #threaded} instead. */
    final AhciTestDriver driver = new AhciTestDriver(mem, hba.bar(AhciController.ABAR), hba::runIssued);
    final AhciTestDriver threaded = new AhciTestDriver(mem, hba.bar(AhciController.ABAR), this::awaitIdle);

    private void awaitIdle() {
        long end = System.nanoTime() + 10_000_000_000L;
        while ((driver.read(AhciTestDriver.reg(0, AhciTestDriver.CI)) | driver.read(AhciTestDriver.reg(1, AhciTestDriver.CI))) != 0
                && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void pciIdentityIsQemusIch9Ahci() {
        PciConfigSpace c = hba.config();
        assertEquals(0x2922_8086, c.read(0, 4));
        assertEquals(0x01_06_01_02, c.read(8, 4));
        assertEquals(PciConfigSpace.BarType.MEMORY32, c.barType(5));
        assertEquals(0x1000, c.barSize(5));
        assertEquals(PciConfigSpace.BarType.IO, c.barType(4));
        assertEquals(1, c.read(PciConfigSpace.INTERRUPT_PIN, 1));
        assertEquals(0x05, c.read(c.read(PciConfigSpace.CAPABILITIES, 1), 1), "the MSI capability");
    }

    @Test
    void commandsRunOnTheIoThreadAndMoveDataByDma() throws Exception {
        for (int i = 0; i < disk.data.length; i++) disk.data[i] = (byte) (i * 13 + i / 512);
        try (AhciIoThread io = AhciIoThread.start(hba, "ahci-unit-io")) {
            threaded.start(0);
            assertEquals(0x50, threaded.command(0, 0x25, 0, 100, 8, null, false, 8 * 512)); // READ DMA EXT
            assertEquals("ahci-unit-io", disk.lastThread, "the disk was read on the controller's I/O thread");
            assertArrayEquals(java.util.Arrays.copyOfRange(disk.data, 100 * 512, 108 * 512), threaded.data(0, 8 * 512));
            assertEquals(8 * 512, threaded.transferred(0), "PRDBC");
            byte[] pattern = new byte[3 * 512];
            new java.util.Random(3).nextBytes(pattern);
            mem.write(AhciTestDriver.data(0), pattern, 0, pattern.length);
            assertEquals(0x50, threaded.command(0, 0xCA, 0, 7, 3, null, true, 3 * 512)); // WRITE DMA
            assertArrayEquals(pattern, java.util.Arrays.copyOfRange(disk.data, 7 * 512, 10 * 512));
        }
    }

    @Test
    void atapiReadsTheMediumByDma() throws Exception {
        for (int i = 0; i < media.data.length; i++) media.data[i] = (byte) (i / 2048 + i);
        try (AhciIoThread io = AhciIoThread.start(hba, "ahci-unit-io")) {
            threaded.start(1);
            byte[] read10 = {0x28, 0, 0, 0, 0, 5, 0, 0, 3, 0, 0, 0};
            assertEquals(0x50, threaded.command(1, 0xA0, 1, 0, 0, read10, false, 3 * 2048) & 0xFF);
            assertArrayEquals(java.util.Arrays.copyOfRange(media.data, 5 * 2048, 8 * 2048), threaded.data(1, 3 * 2048));
        }
    }

    @Test
    void aPrdtOutsideRamAbortsTheCommandWithoutTouchingMemory() {
        driver.start(0);
        long table = AhciTestDriver.TABLES;
        driver.command(0, 0xEC, 0, 0, 0, null, false, 512); // table set up once; then its PRD points past RAM
        mem.writeInt(table + 0x80, (int) (mem.size() - 100));
        driver.write(AhciTestDriver.reg(0, AhciTestDriver.IS), -1);
        driver.write(AhciTestDriver.reg(0, AhciTestDriver.CI), 1);
        hba.runIssued();
        assertEquals(0x0441, driver.read(AhciTestDriver.reg(0, AhciTestDriver.TFD)), "ERR, ABRT");
        assertEquals(1, driver.read(AhciTestDriver.reg(0, AhciTestDriver.CI)), "a failed command stays issued");
        assertEquals(0, mem.rejectedAccesses());
        driver.write(AhciTestDriver.reg(0, AhciTestDriver.CMD), 0x16); // ST cleared: PxCI cleared (error recovery)
        assertEquals(0, driver.read(AhciTestDriver.reg(0, AhciTestDriver.CI)));
    }

    @Test
    void intaFollowsEnabledPortInterrupts() {
        RecordingInterruptLine line = new RecordingInterruptLine();
        hba.config().setInterrupt(1, 11, line);
        driver.start(0);
        driver.write(AhciTestDriver.reg(0, AhciTestDriver.IE), 0x1); // DHRS
        driver.command(0, 0xE7, 0, 0, 0, null, false, 0); // FLUSH CACHE
        hba.runIssued();
        assertFalse(line.level(), "GHC.IE clear: no interrupt");
        driver.write(0x04, 0x8000_0002);
        assertTrue(line.level(), "GHC.IE set with DHRS pending and enabled");
        assertEquals(1, driver.read(0x08), "IS names port 0");
        driver.write(AhciTestDriver.reg(0, AhciTestDriver.IS), 1);
        assertFalse(line.level(), "cleared with PxIS");
        assertEquals(0, driver.read(0x08));
    }

    @Test
    void msiWhenTheGuestEnabledIt() {
        RecordingInterruptLine line = new RecordingInterruptLine();
        PciConfigSpace c = hba.config();
        c.setInterrupt(1, 11, line);
        int cap = c.read(PciConfigSpace.CAPABILITIES, 1);
        c.write(cap + 4, 4, 0xFEE0_1000);
        c.write(cap + 8, 4, 0);
        c.write(cap + 12, 2, 0x4041);
        c.write(cap + 2, 2, 0x0001);
        driver.start(0);
        driver.write(AhciTestDriver.reg(0, AhciTestDriver.IE), 0x1);
        driver.write(0x04, 0x8000_0002);
        driver.command(0, 0xE7, 0, 0, 0, null, false, 0);
        hba.runIssued();
        assertFalse(line.level(), "no INTA with MSI");
        synchronized (messages) {
            assertFalse(messages.isEmpty(), "an MSI was sent");
            long[] m = messages.get(messages.size() - 1);
            assertEquals(0xFEE0_1000L, m[0]);
            assertEquals(0x4041, m[1]);
        }
    }

    @Test
    void quiescedNoCommandRunsUntilResume() throws Exception {
        AhciTestDriver noWait = new AhciTestDriver(mem, hba.bar(AhciController.ABAR), () -> { });
        try (AhciIoThread io = AhciIoThread.start(hba, "ahci-unit-io")) {
            noWait.start(0);
            io.quiesce();
            assertTrue(io.isQuiesced());
            noWait.command(0, 0xE7, 0, 0, 0, null, false, 0);
            Thread.sleep(200);
            assertEquals(1, driver.read(AhciTestDriver.reg(0, AhciTestDriver.CI)), "held back while quiesced");
            io.resume();
            threaded.command(0, 0xE7, 0, 0, 0, null, false, 0); // a second one after resume completes too
            assertEquals(0, driver.read(AhciTestDriver.reg(0, AhciTestDriver.CI)));
            assertEquals(0x50, driver.read(AhciTestDriver.reg(0, AhciTestDriver.TFD)));
        }
    }
}
