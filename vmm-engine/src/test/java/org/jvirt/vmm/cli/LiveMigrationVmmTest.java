package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.vmm.kvm.Kvm;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.MigrationStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two jvirt-vmm processes: the ticker runs in one; another waits with --incoming; jvirt-migrate
 * on the first's control socket moves the guest live; the first exits with reason "migrated",
 * the second ticks on (one boot, no tick repeated or lost). Then back again, from the emulator
 * to KVM where KVM is usable. A migration to an address where nobody listens fails and leaves
 * the source running.
 */
class LiveMigrationVmmTest {
    @TempDir Path dir;

    static String accel() {
        return Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu") ? "kvm" : "emu";
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Migrates the VMM at control to a new VMM of accel; returns the new one's process and control socket. */
    private Process migrate(VmmProcessFixture vmms, Process from, Path control, String accel, String name) throws Exception {
        int port = freePort();
        Path to = dir.resolve(name + ".monitor");
        Process target = vmms.start(dir.resolve(name + ".out"), "--memory", "64M", "--accel", accel, "--control", to.toString(),
                "--incoming", "tcp:127.0.0.1:" + port);
        try (ControlClient t = VmmProcessFixture.connect(to, target); ControlClient c = VmmProcessFixture.connect(control, from)) {
            MigrationStats stats = c.call(new Command.JvirtMigrate("tcp:127.0.0.1:" + port, null, null));
            assertTrue(stats.downtimeMs() >= 0 && stats.downtimeMs() < 5000, "downtime " + stats.downtimeMs());
            assertTrue(stats.zeroPages() > 0);
            System.out.println("migration to " + accel + ": " + stats);
            assertEquals(org.jvirt.vmm.protocol.RunState.PAUSED, c.call(new Command.QueryStatus()).status(), "the source waits, paused");
            c.call(new Command.Quit()); // the manager's Confirm
        }
        assertTrue(from.waitFor(60, TimeUnit.SECONDS), "the source exits after the migration");
        assertEquals(0, from.exitValue());
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("reason=migrated\n"), Files.readString(dir.resolve("exit")));
        return target;
    }

    @Test
    void theTickerMovesToAnotherVmmAndBack() throws Exception {
        VmmProcessFixture vmms = new VmmProcessFixture(dir);
        String accel = accel();
        Path first = dir.resolve("first.monitor");
        Process a = vmms.start(dir.resolve("first.out"), "--memory", "64M", "--accel", accel, "--control", first.toString());
        Process b = null, c = null;
        try {
            vmms.awaitSerial("tick 3\n");
            b = migrate(vmms, a, first, "emu", "second");
            int last = VmmProcessFixture.lastTick(vmms.serial());
            vmms.awaitSerial("tick " + (last + 3) + "\n");
            c = migrate(vmms, b, dir.resolve("second.monitor"), accel, "third");
            last = VmmProcessFixture.lastTick(vmms.serial());
            vmms.awaitSerial("tick " + (last + 3) + "\n");
        } finally {
            for (Process p : new Process[] {a, b, c}) {
                if (p != null) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        String all = vmms.serial();
        assertEquals(1, all.split("ticker: running", -1).length - 1, "one boot in all: " + all);
        Matcher m = Pattern.compile("tick (\\d+)\n").matcher(all);
        int expected = 1;
        while (m.find()) {
            assertEquals(expected, Integer.parseInt(m.group(1)), "ticks run on without a gap or a repeat: " + all);
            expected++;
        }
    }

    @Test
    void aFailedMigrationLeavesTheSourceRunning() throws Exception {
        VmmProcessFixture vmms = new VmmProcessFixture(dir);
        Path control = dir.resolve("src.monitor");
        Process a = vmms.start(dir.resolve("src.out"), "--memory", "64M", "--accel", accel(), "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, a)) {
            vmms.awaitSerial("tick 2\n");
            int port = freePort(); // nobody listens there
            Exception e = assertThrows(Exception.class, () -> c.call(new Command.JvirtMigrate("tcp:127.0.0.1:" + port, null, null)));
            assertTrue(e.getMessage().contains("migration to tcp:127.0.0.1:" + port + " failed"), e.getMessage());
            int last = VmmProcessFixture.lastTick(vmms.serial());
            vmms.awaitSerial("tick " + (last + 2) + "\n");
            assertTrue(a.isAlive());
        } finally {
            a.destroyForcibly();
            a.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDestinationKilledMidwayLeavesTheSourceRunning() throws Exception {
        VmmProcessFixture vmms = new VmmProcessFixture(dir);
        Path control = dir.resolve("src.monitor");
        Process a = vmms.start(dir.resolve("src.out"), "--memory", "64M", "--accel", accel(), "--control", control.toString());
        int port = freePort();
        Path to = dir.resolve("dst.monitor");
        Process b = vmms.start(dir.resolve("dst.out"), "--memory", "64M", "--accel", "emu", "--control", to.toString(),
                "--incoming", "tcp:127.0.0.1:" + port);
        try (ControlClient t = VmmProcessFixture.connect(to, b); ControlClient c = VmmProcessFixture.connect(control, a)) {
            vmms.awaitSerial("tick 2\n");
            // 1 MiB/s: the first pass over the ~8 MiB holding data takes seconds; the destination dies meanwhile
            java.util.concurrent.CompletableFuture<Exception> call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    c.call(new Command.JvirtMigrate("tcp:127.0.0.1:" + port, null, 1L << 20));
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            Thread.sleep(1500);
            b.destroyForcibly();
            Exception e = call.get(60, TimeUnit.SECONDS);
            assertNotNull(e, "the migration cannot succeed without its destination");
            assertTrue(e.getMessage().contains("failed"), e.getMessage());
            assertEquals(org.jvirt.vmm.protocol.RunState.RUNNING, c.call(new Command.QueryStatus()).status());
            int last = VmmProcessFixture.lastTick(vmms.serial());
            vmms.awaitSerial("tick " + (last + 2) + "\n");
        } finally {
            for (Process p : new Process[] {a, b}) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
