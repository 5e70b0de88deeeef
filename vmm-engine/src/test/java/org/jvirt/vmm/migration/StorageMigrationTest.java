package org.jvirt.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.kvm.Kvm;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live storage migration (--copy-storage-all / --copy-storage-inc) of the disk-ticker, which
 * writes a sector every tick (and rewrites it meanwhile) while its 32 MiB disk is copied over a
 * 16 MiB/s link. The guest goes on at the destination until tick 80, checking as it goes that
 * each sector it overwrites holds the tick of 64 ticks before, then re-reads all 64 ("ok
 * disk-ticker"). Its image then must equal, for the real qemu-img, the image the disk-ticker's
 * rule gives for 80 ticks over the same initial disk.
 */
class StorageMigrationTest {
    static final long MEMORY = 64L << 20;
    static final Pattern DISK_TICK = Pattern.compile("disk-tick (\\d+)");
    static final int TICKS = 80, SECTORS = 64;
    @TempDir Path dir;

    private static MachineConfig config(Path disk, ImageFormat format, InMemorySerialBackend serial) throws Exception {
        MachineConfig.Accel accel = Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu") ? MachineConfig.Accel.KVM : MachineConfig.Accel.EMU;
        return MachineConfig.of(GuestImages.require("disk-ticker")).withMemory(MEMORY).withAccel(accel).withCmdline("rewrite=1 ticks=" + TICKS)
                .withSerial(new MachineConfig.Serial.Custom(serial)).withDisks(List.of(new MachineConfig.Disk(disk, false, format)));
    }

    private static int lastTick(InMemorySerialBackend s) {
        Matcher m = DISK_TICK.matcher(s.output());
        int last = 0;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    private static void awaitTick(InMemorySerialBackend s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lastTick(s) < n) {
            assertFalse(s.output().contains("not ok"), s.output());
            if (System.nanoTime() > deadline) fail("no disk-tick " + n + ": " + s.output());
            Thread.sleep(20);
        }
    }

    private static void qemuImg(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    private void migrate(Path source, Path target, Path expected, ImageFormat format, MigrationParams.StorageCopy copy) throws Exception {
        InMemorySerialBackend serialA = new InMemorySerialBackend(), serialB = new InMemorySerialBackend();
        MigrationProgress progress = new MigrationProgress();
        MigrationParams params = new MigrationParams(MigrationParams.DEFAULT_MAX_DOWNTIME_MS, 16L << 20, false).withStorage(copy);
        try (Machine a = Machine.create(config(source, format, serialA)); Machine b = Machine.createForRestore(config(target, format, serialB));
             ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            a.start();
            awaitTick(serialA, 3);
            b.startForRestore();
            CompletableFuture<Boolean> targetRuns = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept()) {
                    return MigrationTarget.receive(b, s, new MigrationProgress());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                new MigrationSource(a, params, progress).run(s, true);
            } finally {
                listener.close();
                targetRuns.handle((v, e) -> v).get(60, TimeUnit.SECONDS);
            }
            assertTrue(targetRuns.get());
            a.stop();
            int last = lastTick(serialA);
            assertTrue(last < TICKS - 5, "the migration ended before the guest's last ticks: " + last);
            assertTrue(progress.diskTransferred.get() > 0 && progress.diskTotal.get() == 32L << 20, "disk bytes sent");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!serialB.output().contains("ok disk-ticker") && System.nanoTime() < deadline) {
                assertFalse(serialB.output().contains("not ok"), serialB.output());
                Thread.sleep(50);
            }
            assertTrue(serialB.output().contains("ok disk-ticker") && !serialB.output().contains("not ok"), serialB.output());
            Matcher m = DISK_TICK.matcher(serialB.output());
            assertTrue(m.find() && Integer.parseInt(m.group(1)) == last + 1, "the destination goes on from tick " + (last + 1) + ": " + serialB.output());
            b.awaitExit();
        }
        writeTicks(expected, TICKS);
        qemuImg("compare", "-f", format.name().toLowerCase(), "-F", "raw", target.toString(), expected.toString());
        System.out.printf("storage migration (%s, %s): %d disk bytes sent of %d, %d rounds, downtime %d ms%n", format, copy,
                progress.diskTransferred.get(), progress.diskTotal.get(), progress.rounds.get(), progress.downtimeMillis.get());
    }

    /** The disk-ticker's sectors after tick n (its header comment): tick t in sector t % 64 for the last 64 ticks. */
    private static void writeTicks(Path raw, int n) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            for (int t = Math.max(1, n - SECTORS + 1); t <= n; t++) {
                byte[] sector = new byte[512];
                System.arraycopy("JVIRT-DISK-TICK:".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, sector, 0, 16);
                for (int i = 0; i < 8; i++) sector[16 + i] = (byte) ((long) t >>> (8 * i));
                for (int i = 24; i < 512; i++) sector[i] = (byte) (t + i);
                f.seek((long) (t % SECTORS) * 512);
                f.write(sector);
            }
        }
    }

    /** A 32 MiB raw disk, with 4 MiB of random data past the disk-ticker's 64 sectors (so the copy has something to carry). */
    private Path rawDisk(String name, boolean data) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(32L << 20);
            if (data) {
                byte[] b = new byte[4 << 20];
                new Random(1).nextBytes(b);
                f.seek(1L << 20);
                f.write(b);
            }
        }
        return p;
    }

    @Test
    void copyStorageAllOfARawDisk() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img is not installed");
        migrate(rawDisk("src.raw", true), rawDisk("dst.raw", false), rawDisk("expected.raw", true), ImageFormat.RAW,
                MigrationParams.StorageCopy.ALL);
    }

    @Test
    void copyStorageIncOfAQcow2OverASharedBase() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img is not installed");
        Path base = rawDisk("base.raw", true);
        Path src = dir.resolve("src.qcow2"), dst = dir.resolve("dst.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "raw", src.toString());
        qemuImg("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "raw", dst.toString());
        migrate(src, dst, rawDisk("expected.raw", true), ImageFormat.QCOW2, MigrationParams.StorageCopy.INCREMENTAL);
    }
}
