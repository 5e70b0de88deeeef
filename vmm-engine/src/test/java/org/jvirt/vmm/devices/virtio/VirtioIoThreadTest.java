package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virtio-blk with its I/O thread (in-process doorbell): the thread that writes the notify
 * register (the vCPU) only rings; the request runs on the I/O thread, the vCPU can keep using
 * the device's registers meanwhile, a quiesced device does no I/O, close ends the thread.
 */
class VirtioIoThreadTest {
    static final long HDR = 0x20000, STATUS = 0x21000, DATA = 0x30000;

    @TempDir Path dir;
    GatedDisk disk;
    VirtioTestDriver d;
    VirtioIoThread io;

    /** A disk whose reads record their thread and wait until the test releases them. */
    static final class GatedDisk implements BlockBackend {
        final BlockBackend inner;
        final AtomicInteger reads = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile String readThread;

        GatedDisk(BlockBackend inner) { this.inner = inner; }

        @Override public long capacity() { return inner.capacity(); }
        @Override public boolean readOnly() { return inner.readOnly(); }
        @Override public void read(long offset, byte[] buf, int off, int len) throws IOException {
            reads.incrementAndGet();
            readThread = Thread.currentThread().getName();
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) throw new IOException("never released");
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            inner.read(offset, buf, off, len);
        }
        @Override public void write(long offset, byte[] buf, int off, int len) throws IOException { inner.write(offset, buf, off, len); }
        @Override public void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException { inner.writeZeroes(offset, length, mayUnmap); }
        @Override public void flush() throws IOException { inner.flush(); }
        @Override public void close() throws IOException { inner.close(); }
    }

    @BeforeEach
    void setUp() throws IOException {
        Path image = dir.resolve("a.img");
        byte[] content = new byte[64 * 512];
        for (int i = 0; i < 512; i++) content[2 * 512 + i] = (byte) (i * 7 + 1);
        Files.write(image, content);
        disk = new GatedDisk(DiskImages.open(image, ImageFormat.RAW, false));
        d = new VirtioTestDriver(new VirtioBlock(disk, "gated"));
        io = VirtioIoThread.start(d.dev, null, "test-disk-io");
        assertEquals(0xF, d.initialize());
    }

    @AfterEach
    void tearDown() throws IOException {
        disk.release.countDown();
        io.close();
        disk.close();
    }

    private void submitReadOfSector2() {
        d.header(HDR, VirtioBlock.T_IN, 2);
        d.mem.writeByte(STATUS, (byte) 0xFF);
        d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 512, 1}, new long[] {STATUS, 1, 1});
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    @Test
    void requestRunsOnTheIoThreadWhileTheKickingThreadGoesOn() throws Exception {
        submitReadOfSector2();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> d.kick(0), "the notify write returns at once");
        assertTrue(disk.entered.await(10, TimeUnit.SECONDS), "the request reached the disk");
        assertEquals("test-disk-io", disk.readThread);
        assertNotEquals(Thread.currentThread().getName(), disk.readThread);
        assertEquals(0, d.usedIdx(), "still in progress while the disk holds it");
        // the vCPU keeps using the device's registers while the request is in progress
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(0xF, d.status());
            assertEquals(0, d.mmio.read(d.isr, 1));
            assertEquals(64, d.mmio.read(d.device, 4), "capacity in sectors");
        });
        disk.release.countDown();
        assertTrue(eventually(() -> d.usedIdx() == 1), "completed");
        assertEquals(VirtioBlock.S_OK, d.mem.readByte(STATUS));
        for (int i = 0; i < 512; i++) assertEquals((byte) (i * 7 + 1), d.mem.readByte(DATA + i), "byte " + i);
        assertTrue(eventually(() -> d.mmio.read(d.isr, 1) == 1), "completion interrupt raised (INTx, ISR bit 0)");
    }

    @Test
    void quiescedDeviceDoesNoIoUntilResumed() throws Exception {
        disk.release.countDown();
        io.quiesce();
        assertTrue(io.isQuiesced());
        submitReadOfSector2();
        d.kick(0);
        Thread.sleep(300);
        assertEquals(0, disk.reads.get(), "no disk access while quiesced");
        assertEquals(0, d.usedIdx());
        io.resume();
        assertTrue(eventually(() -> d.usedIdx() == 1), "the kick made while quiesced is served after resume");
        assertEquals(1, disk.reads.get());
    }

    @Test
    void quiesceWaitsForTheRequestInProgress() throws Exception {
        submitReadOfSector2();
        d.kick(0);
        assertTrue(disk.entered.await(10, TimeUnit.SECONDS));
        CountDownLatch quiesced = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                io.quiesce();
                quiesced.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertFalse(quiesced.await(300, TimeUnit.MILLISECONDS), "quiesce returned with a request in progress");
        disk.release.countDown();
        assertTrue(quiesced.await(10, TimeUnit.SECONDS));
        assertEquals(1, d.usedIdx(), "the request in progress completed before quiesce returned");
        t.join();
    }

    @Test
    void closeEndsTheThreadAndNotifiesAreProcessedInlineAgain() throws Exception {
        disk.release.countDown();
        io.close();
        assertFalse(io.isAlive());
        submitReadOfSector2();
        d.kick(0);
        assertEquals(1, d.usedIdx(), "without an I/O thread the notify is processed on the writing thread");
    }
}
