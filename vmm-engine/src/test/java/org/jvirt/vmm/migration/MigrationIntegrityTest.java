package org.jvirt.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.kvm.Kvm;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;

/**
 * The target's RAM ends byte for byte equal to the source's: the ticker rewrites 4 MiB while
 * dirty rounds run over a 32 MiB/s link (the downtime held to 0 so they do not converge while
 * it writes), then a
 * pause stops it, the rounds converge and the guest arrives paused; both RAMs are compared
 * whole. Plain and with --compressed's page deltas (which must have been used).
 */
class MigrationIntegrityTest {
    static final long MEMORY = 64L << 20;

    private static MachineConfig config(String cmdline, InMemorySerialBackend serial) throws Exception {
        MachineConfig.Accel accel = Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu") ? MachineConfig.Accel.KVM : MachineConfig.Accel.EMU;
        return MachineConfig.of(GuestImages.require("ticker")).withMemory(MEMORY).withAccel(accel).withCmdline(cmdline)
                .withSerial(new MachineConfig.Serial.Custom(serial));
    }

    private void migrateAndCompare(MigrationParams params) throws Exception {
        migrateAndCompare(params, false);
    }

    /** channels: both sockets opened as channels, so pages go from RAM to RAM without the heap (as jvirt-vmm's). */
    private void migrateAndCompare(MigrationParams params, boolean channels) throws Exception {
        InMemorySerialBackend serialA = new InMemorySerialBackend(), serialB = new InMemorySerialBackend();
        MigrationProgress progress = new MigrationProgress();
        try (Machine a = Machine.create(config("dirty=4", serialA)); Machine b = Machine.createForRestore(config("", serialB));
             ServerSocket listener = channels ? java.nio.channels.ServerSocketChannel.open().socket() : new ServerSocket()) {
            listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            a.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!serialA.output().contains("tick 2\r\n") && !serialA.output().contains("tick 2\n") && System.nanoTime() < deadline) Thread.sleep(20);
            b.startForRestore();
            MigrationSource source = new MigrationSource(a, params, progress);
            boolean inTime = false;
            CompletableFuture<Boolean> targetRuns = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept()) {
                    return MigrationTarget.receive(b, s, new MigrationProgress());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try (Socket s = channels ? java.nio.channels.SocketChannel.open().socket() : new Socket()) {
                    s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
                    source.run(s, true);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                while (progress.rounds.get() < 4 && !run.isDone() && System.nanoTime() < deadline) Thread.sleep(10);
                // a migration that ended by itself did so because a round found nothing dirty (maximum downtime 0):
                // the host did not run the guest for a round; it then arrives running, which the checks below allow
                if (!run.isDone()) {
                    assertTrue(progress.rounds.get() >= 4, "dirty rounds ran: " + progress.rounds.get() + ", sent " + progress.ramTransferred.get());
                }
                // in time unless a starved guest dirtied nothing for a round (then the copy began already)
                inTime = source.pauseGuest();
                run.get(120, TimeUnit.SECONDS);
                assertEquals(!inTime, targetRuns.get(30, TimeUnit.SECONDS), inTime ? "the guest arrives paused" : "the guest arrives running");
            } finally {
                // neither side may still touch a machine's RAM when the machines close
                source.cancel();
                listener.close();
                run.handle((v, e) -> v).get(60, TimeUnit.SECONDS);
                targetRuns.handle((v, e) -> v).get(60, TimeUnit.SECONDS);
            }
            // a guest that arrived running has changed its RAM there since: nothing to compare
            org.junit.jupiter.api.Assumptions.assumeTrue(inTime, "the host starved the guest: the migration ended before the pause");
            assertRamEqual(a.memory(), b.memory());
            if (params.compressionCacheBytes() > 0) {
                assertTrue(progress.deltaPages.get() > 0, "pages went as deltas: " + progress.deltaPages.get());
                System.out.printf("compressed: %d pages as deltas in %d bytes, %d cache misses, %d overflows, %d rounds%n",
                        progress.deltaPages.get(), progress.deltaBytes.get(), progress.deltaCacheMisses.get(), progress.deltaOverflows.get(),
                        progress.rounds.get());
            }
        }
    }

    private static void assertRamEqual(MmapGuestMemory a, MmapGuestMemory b) {
        assertEquals(a.size(), b.size());
        byte[] x = new byte[1 << 20], y = new byte[1 << 20];
        for (MmapGuestMemory.Region r : a.regions()) {
            for (long at = r.start(); at < r.start() + r.mapping().size(); at += x.length) {
                int n = (int) Math.min(x.length, r.start() + r.mapping().size() - at);
                a.read(at, x, 0, n);
                b.read(at, y, 0, n);
                if (!Arrays.equals(x, 0, n, y, 0, n)) {
                    int i = Arrays.mismatch(x, 0, n, y, 0, n);
                    fail(String.format("RAM differs at 0x%x", at + i));
                }
            }
        }
    }

    @Test
    void plainPages() throws Exception {
        migrateAndCompare(new MigrationParams(0, 32L << 20, false));
    }

    @Test
    void plainPagesStraightFromRamToRam() throws Exception {
        migrateAndCompare(new MigrationParams(0, 32L << 20, false), true);
    }

    @Test
    void compressedDeltas() throws Exception {
        migrateAndCompare(new MigrationParams(0, 32L << 20, false).compressed(MigrationParams.DEFAULT_COMPRESSION_CACHE));
    }
}
