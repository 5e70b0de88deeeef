package org.jvirt.vmm.devices;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.devices.i8042.I8042;
import org.jvirt.vmm.devices.rtc.CmosRtc;
import org.jvirt.vmm.devices.serial.SerialBackend;
import org.jvirt.vmm.devices.serial.Uart16550;
import org.jvirt.vmm.devices.virtio.VirtioBlock;
import org.jvirt.vmm.devices.virtio.VirtioTestDriverAccess;
import org.jvirt.vmm.testutil.Allocations;
import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access paths allocate nothing per access: after a warm-up, many thousands of accesses
 * allocate less than a few KiB in total (the budget absorbs measurement noise, not per-access
 * garbage: one object per access would be hundreds of KiB).
 */
class AllocationFreeAccessTest {

    static final int N = 20_000;
    static final long BUDGET = 8 * 1024;

    @TempDir Path dir;

    static long measure(Runnable access) {
        for (int i = 0; i < 3; i++) Allocations.during(() -> { for (int k = 0; k < N; k++) access.run(); });
        return Allocations.during(() -> { for (int k = 0; k < N; k++) access.run(); });
    }

    @Test
    void legacyDevices() {
        Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
        RecordingInterruptLine line = new RecordingInterruptLine();
        SerialBackend sink = b -> { };
        Uart16550 uart = new Uart16550(line, sink);
        uart.write(4, 1, 0x08);
        uart.write(1, 1, 0x03);
        byte[] in = {'x'};
        long uartBytes = measure(() -> {
            uart.write(0, 1, 'a');
            uart.read(2, 1);
            uart.read(5, 1);
            uart.receive(in, 0, 1);
            uart.read(0, 1);
        });
        assertTrue(uartBytes < BUDGET, "UART allocated " + uartBytes + " bytes");

        I8042 kbc = new I8042(line, null, () -> { });
        long kbcBytes = measure(() -> { kbc.commandPort().write(0, 1, 0x20); kbc.commandPort().read(0, 1); kbc.dataPort().read(0, 1); });
        assertTrue(kbcBytes < BUDGET, "i8042 allocated " + kbcBytes + " bytes");

        CmosRtc rtc = new CmosRtc(Clock.systemUTC(), 1L << 30, 0);
        long rtcBytes = measure(() -> {
            rtc.write(0, 1, 0x00); rtc.read(1, 1);
            rtc.write(0, 1, 0x04); rtc.read(1, 1);
            rtc.write(0, 1, 0x0A); rtc.read(1, 1);
            rtc.write(0, 1, 0x09); rtc.read(1, 1);
        });
        assertTrue(rtcBytes < BUDGET, "RTC allocated " + rtcBytes + " bytes");

        AcpiPm pm = new AcpiPm(line, () -> { });
        long pmBytes = measure(() -> { pm.read(8, 4); pm.read(0, 2); pm.write(0, 2, 0x100); });
        assertTrue(pmBytes < BUDGET, "ACPI PM allocated " + pmBytes + " bytes");
    }

    @Test
    void virtioBlockRequests() throws Exception {
        Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
        Path image = dir.resolve("a.img");
        Files.write(image, new byte[64 * 512]);
        try (VirtioBlock blk = new VirtioBlock(image, false, "alloc")) {
            VirtioTestDriverAccess d = new VirtioTestDriverAccess(blk);
            long bytes = measure(d::readOneSector);
            assertTrue(bytes < BUDGET, "virtio-blk allocated " + bytes + " bytes for " + N + " requests");
        }
    }

    @Test
    void virtioBlockRequestsOnQcow2() throws Exception {
        Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
        Path image = dir.resolve("a.qcow2");
        org.jvirt.vmm.block.qcow2.Qcow2Create.create(image, 1 << 20, 3, 16, null, null);
        org.jvirt.vmm.block.BlockBackend disk = org.jvirt.vmm.block.chain.DiskImages.open(image, org.jvirt.vmm.block.ImageFormat.QCOW2, false);
        disk.write(0, new byte[4096], 0, 4096); // sector 1 in an allocated cluster: the L2 lookup path
        try (VirtioBlock blk = new VirtioBlock(disk, "alloc")) {
            VirtioTestDriverAccess d = new VirtioTestDriverAccess(blk);
            long bytes = measure(d::readOneSector);
            assertTrue(bytes < BUDGET, "virtio-blk on qcow2 allocated " + bytes + " bytes for " + N + " requests");
        }
    }

    @Test
    void virtioBlockRequestsOnTheIoThread() throws Exception {
        Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
        Path image = dir.resolve("b.img");
        Files.write(image, new byte[64 * 512]);
        try (VirtioBlock blk = new VirtioBlock(image, false, "alloc")) {
            VirtioTestDriverAccess d = new VirtioTestDriverAccess(blk, true);
            try {
                Thread io = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals(d.ioThread().threadName())).findFirst().orElseThrow();
                long kicker = measure(d::readOneSector); // warms up both threads too
                long before = Allocations.allocatedBytes(io);
                measure(d::readOneSector);
                long ioBytes = Allocations.allocatedBytes(io) - before;
                assertTrue(kicker < BUDGET, "the kicking thread allocated " + kicker + " bytes for " + N + " requests");
                // measure() ran 4 rounds of N requests; the budget is for one
                assertTrue(ioBytes < 4 * BUDGET, "the I/O thread allocated " + ioBytes + " bytes for " + 4 * N + " requests");
            } finally {
                d.ioThread().close();
            }
        }
    }
}
