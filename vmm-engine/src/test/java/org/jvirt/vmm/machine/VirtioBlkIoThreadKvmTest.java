package org.jvirt.vmm.machine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.devices.virtio.VirtioIoThread;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-blk test guest with its disk's I/O thread held back: the guest's notify reaches the
 * I/O thread through the ioeventfd (no vCPU exit), the vCPU keeps running (it is not inside the
 * device: it pauses and resumes promptly), nothing touches the disk while I/O is quiesced, and
 * the queued request is served once I/O resumes, after which the guest completes as usual.
 */
@RequiresKvm
class VirtioBlkIoThreadKvmTest {
    /** The guest's virtqueue (test-fixtures/guests/virtio-blk.c RING_BASE): avail ring at +0x1000, used at +0x2000. */
    private static final long AVAIL_IDX = 0x300000L + 0x1000 + 2, USED_IDX = 0x300000L + 0x2000 + 2;

    @TempDir Path tmp;

    @Test
    void requestsWaitOffTheVcpuWhileIoIsQuiesced() throws Exception {
        Path elf = GuestImages.require("virtio-blk");
        Path disk = GuestImagesKvmTest.makeDisk(tmp.resolve("disk.img"));
        byte[] before = Files.readAllBytes(disk);
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig cfg = MachineConfig.of(elf).withMemory(GuestImagesKvmTest.MEMORY)
                .withSerial(new MachineConfig.Serial.Custom(serial))
                .withDisks(List.of(new MachineConfig.Disk(disk, false)));
        MachineExit exit;
        try (Machine m = Machine.create(cfg)) {
            VirtioIoThread io = m.board().ioThreads().get(0);
            m.board().quiesceIo();
            m.start();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (m.memory().readShort(AVAIL_IDX) == 0 && System.nanoTime() < end) Thread.sleep(1);
            assertEquals(1, m.memory().readShort(AVAIL_IDX), "the guest queued its first request; serial:\n" + serial.output());
            assertTrue(io.device().notifyBypassesVcpu(), "the notify register is bound to the I/O thread's eventfd");
            Thread.sleep(200);
            assertEquals(0, m.memory().readShort(USED_IDX), "no request served while I/O is quiesced");
            assertEquals(0L, m.board().disks().get(0).counters().toMap().get("rd_operations"));
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.getName().startsWith("jvirt-vcpu-")) continue;
                for (StackTraceElement e : t.getStackTrace()) {
                    assertFalse(e.getClassName().startsWith("org.jvirt.vmm.devices.virtio"), t.getName() + " is inside the device: " + e);
                }
            }
            long t0 = System.nanoTime();
            m.pause(); // the vCPU is in the guest, not waiting for the disk: it stops at once
            m.resume(); // and resumes the I/O thread, which serves the queued request
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "pause/resume took too long");
            exit = m.awaitExit(Duration.ofSeconds(60));
            assertEquals(1L, m.board().disks().get(0).counters().toMap().get("wr_operations"));
        }
        String out = serial.output().replace("\r\n", "\n");
        assertNotNull(exit, "did not finish; serial:\n" + out);
        assertTrue(out.contains("\nok virtio-blk\n"), "serial:\n" + out);
        assertEquals(1, exit.exitStatus(), exit + "\n" + out);
        assertFalse(Arrays.equals(before, Files.readAllBytes(disk)));
        GuestImagesKvmTest.assertGuestWroteSector1(disk);
    }

    @Test
    void pauseQuiescesTheDiskAndStartPausedKeepsItQuiet() throws Exception {
        Path elf = GuestImages.require("virtio-blk");
        Path disk = GuestImagesKvmTest.makeDisk(tmp.resolve("disk.img"));
        byte[] before = Files.readAllBytes(disk);
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig cfg = MachineConfig.of(elf).withMemory(GuestImagesKvmTest.MEMORY)
                .withSerial(new MachineConfig.Serial.Custom(serial))
                .withDisks(List.of(new MachineConfig.Disk(disk, false)));
        MachineExit exit;
        VirtioIoThread io;
        try (Machine m = Machine.create(cfg)) {
            io = m.board().ioThreads().get(0);
            assertEquals("jvirt-disk0-io", io.threadName());
            m.start(true);
            assertTrue(io.isQuiesced(), "a machine started paused does no disk I/O");
            Thread.sleep(200);
            assertArrayEquals(before, Files.readAllBytes(disk));
            m.resume();
            assertFalse(io.isQuiesced(), "cont resumes the disk");
            m.pause();
            assertTrue(io.isQuiesced(), "stop quiesces the disk");
            m.requirePaused(); // what a state save checks
            m.resume();
            assertFalse(io.isQuiesced());
            exit = m.awaitExit(Duration.ofSeconds(60));
        }
        String out = serial.output().replace("\r\n", "\n");
        assertNotNull(exit, "did not finish; serial:\n" + out);
        assertTrue(out.contains("\nok virtio-blk\n"), "serial:\n" + out);
        assertEquals(1, exit.exitStatus(), exit + "\n" + out);
        GuestImagesKvmTest.assertGuestWroteSector1(disk);
        assertFalse(io.isAlive(), "closing the machine ends the disk's I/O thread");
    }
}
