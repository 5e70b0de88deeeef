package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.jvirt.NetnsHosts.Host;
import org.jvirt.driver.jvirt.NetnsHosts.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's two-host tests: two jvirtd "hosts" in two network namespaces ({@link NetnsHosts}),
 * the real virsh run on host A as its admin would ({@code virsh -c qemu+tcp://A/system migrate
 * --live tick qemu+tcp://B/system}), the ticker guest dirtying memory, its serial lines read live
 * on the host with their arrival times ({@link SerialArrivals}).
 * <ul>
 * <li>ten round trips (the first across backends where KVM runs here: KVM on A, the emulator on
 * B, as the migration's --xml says), each with --persistent so the host left keeps the config
 * and its domjobinfo --completed; one boot, ticks with no repeat and no gap, and no pause in
 * their arrival where the guest moved longer than the downtime domjobinfo --completed reports
 * plus one tick (100 ms) plus {@link #HOST_SLACK_MS};
 * <li>faults in mid-migration (slowed by migrate-setspeed): the destination's VMM killed, the
 * source's VMM killed, the link cut; each leaves no stray VMM and domain lists right on both
 * hosts, and the guest running once where it can (the source, unless its own VMM was killed:
 * then its only complete copy is gone, and the destination must not run a half-copied one).
 * </ul>
 * -Djvirt.migration.long=true runs 50 round trips on a 256 MiB guest instead.
 */
class TwoHostMigrationTest {
    @TempDir Path tmp;

    static final Pattern DOWNTIME = Pattern.compile("Total downtime:\\s+(\\d+)\\s+ms");
    static final NetnsGuests.Ticks TICKS = NetnsGuests.Ticks.TICKER;
    static final boolean LONG = Boolean.getBoolean("jvirt.migration.long");
    static final int TICK_MS = 100;
    /**
     * What the pause where the guest moves may exceed the reported downtime plus one tick by
     * (times {@link JvirtTestSupport#waitScale}, 3 on the emulator): the destination's first
     * output after it resumed (a fresh VM and JVM: cold code, and on this project's
     * software-nested KVM a fresh VM's first ring-0 work is slow), the serial socket's writer
     * thread and this test's reader, on two cores shared with both VMMs, both jvirtd and virsh.
     * Seen on a loaded 2-core machine over 60 KVM hops: 0 to 110 ms over downtime + tick; 20
     * emulator hops: up to 190 ms. A pause the downtime does not account for (seconds: a late
     * resume, a mismeasured downtime) still fails. Pauses elsewhere in a hop (the guest slowed by
     * dirty logging, the emulator's first second after a hop to it) are printed, not asserted.
     */
    static final int HOST_SLACK_MS = 250;

    private Path writeXml(Host host, String type, String uuid, int memoryMib, int dirtyMib) throws Exception {
        return NetnsGuests.write(tmp, "tick-" + host.name + "-" + type + ".xml", NetnsGuests.tickerXml(host, type, uuid, memoryMib, dirtyMib));
    }

    /** One migration as the test saw it: the virsh command's start and end, the downtime the source reported. */
    record Hop(String what, long startNanos, long endNanos, long downtimeMs) { }

    private static Hop migrate(Host from, Host to, Path xml, String what) throws Exception {
        long t0 = System.nanoTime();
        // --persistent: the host left keeps the config, so its domjobinfo --completed has the figures (as libvirt's)
        Result r = from.virsh(from.uri(), "migrate --live --persistent tick " + to.uri() + " --xml " + xml);
        long t1 = System.nanoTime();
        assertEquals(0, r.exit(), what + ": " + r.out());
        assertEquals("\n", r.out(), what + ": virsh migrate prints nothing on success");
        Result job = from.virsh(from.uri(), "domjobinfo tick --completed");
        Matcher m = DOWNTIME.matcher(job.out());
        assertTrue(m.find(), what + ": " + job.out());
        assertEquals("running\n\n", to.virsh(to.uri(), "domstate tick").out(), what);
        assertEquals("shut off (migrated)\n\n", from.virsh(from.uri(), "domstate tick --reason").out(), what);
        return new Hop(what, t0, t1, Long.parseLong(m.group(1)));
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.MINUTES) // the long variant; the usual one takes about 2 min
    void tickerDirtyingMemoryMigratesBackAndForthTenTimes() throws Exception {
        int roundTrips = LONG ? 50 : 10;
        int memory = LONG ? 256 : 64;
        int dirty = LONG ? 128 : 16;
        try (NetnsHosts hosts = NetnsHosts.open(tmp);
             SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Host a = hosts.a, b = hosts.b;
            String uuid = UUID.randomUUID().toString();
            String type = JvirtTestSupport.guestVirtType();
            Path xmlA = writeXml(a, type, uuid, memory, dirty);
            Path xmlB = writeXml(b, type, uuid, memory, dirty);
            // across backends where KVM runs: the first round trip goes to the emulator on B and back to KVM
            Path xmlBAcross = "kvm".equals(type) ? writeXml(b, "qemu", uuid, memory, dirty) : xmlB;
            NetnsGuests.startTicker(hosts.a, xmlA, serial);
            List<Hop> hops = new ArrayList<>();
            for (int i = 1; i <= roundTrips; i++) {
                Path there = i == 1 ? xmlBAcross : xmlB;
                hops.add(migrate(a, b, there, "round trip " + i + ": A -> B"));
                if (i == 1 && there == xmlBAcross && "kvm".equals(type)) {
                    assertTrue(b.virsh(b.uri(), "dumpxml tick").out().startsWith("<domain type='qemu'"), "on the emulator on B");
                }
                TICKS.await(serial, TICKS.last(serial) + 2);
                hops.add(migrate(b, a, xmlA, "round trip " + i + ": B -> A"));
                TICKS.await(serial, TICKS.last(serial) + 2);
            }
            assertEquals(0, a.virsh(a.uri(), "destroy tick").exit());
            List<SerialArrivals.Line> ticks = TICKS.lines(serial);
            StringBuilder report = new StringBuilder();
            for (Hop h : hops) {
                long gap = longestGap(ticks, h);
                report.append(String.format("%s: downtime %d ms, longest pause between ticks %d ms (where the output moved host: %s ms),"
                        + " virsh %d ms%n", h.what(), h.downtimeMs(), gap, gaps(ticks, h, true), (h.endNanos() - h.startNanos()) / 1_000_000));
            }
            System.out.print(report);
            if ("1".equals(System.getenv("JVIRT_MIGRATION_TRACE"))) { // the VMMs' downtime parts (domain logs), to set beside the pauses
                for (Host h : List.of(a, b)) {
                    for (String line : Files.readAllLines(h.root.resolve("log/tick.log"))) {
                        if (line.contains("migration")) System.out.println(h.name + ": " + line);
                    }
                }
            }
            TICKS.assertOneBootAndEveryTickOnce(serial);
            for (Hop h : hops) {
                long bound = h.downtimeMs() + TICK_MS + HOST_SLACK_MS * JvirtTestSupport.waitScale();
                for (long gap : gaps(ticks, h, true)) {
                    assertTrue(gap <= bound, h.what() + ": a pause of " + gap + " ms in the ticks' arrival where the guest moved, more than the"
                            + " reported " + h.downtimeMs() + " ms downtime plus one tick (and " + HOST_SLACK_MS + " ms for this host's scheduling)\n" + report);
                }
            }
            assertTrue(a.vmmPids().isEmpty() && b.vmmPids().isEmpty(), "no VMM left");
        }
    }

    /** The longest time between two consecutive ticks' arrivals where the later one arrived during the hop (or just after). */
    static long longestGap(List<SerialArrivals.Line> ticks, Hop h) {
        return gaps(ticks, h, false).stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The gaps during hop H (SWITCH: only the one where the output moved from one host to the other). */
    static List<Long> gaps(List<SerialArrivals.Line> ticks, Hop h, boolean atSwitch) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < ticks.size(); i++) {
            long at = ticks.get(i).nanos();
            if (at < h.startNanos() || at > h.endNanos() + 500_000_000L) continue;
            if (atSwitch && ticks.get(i).socket().equals(ticks.get(i - 1).socket())) continue;
            out.add((at - ticks.get(i - 1).nanos()) / 1_000_000);
        }
        return out;
    }

    // ------------------------------------------------------------------ faults

    /** A running migration A -> B, slowed (migrate-setspeed 2 MiB/s) so that faults land in its middle. */
    private Process slowMigration(NetnsHosts hosts, SerialArrivals serial) throws Exception {
        Host a = hosts.a, b = hosts.b;
        String uuid = UUID.randomUUID().toString();
        String type = JvirtTestSupport.guestVirtType();
        NetnsGuests.startTicker(hosts.a, writeXml(a, type, uuid, 64, 32), serial);
        assertEquals(0, a.virsh(a.uri(), "migrate-setspeed tick 2").exit());
        Process virsh = a.startVirsh(a.uri(), "migrate --live tick " + b.uri() + " --xml " + writeXml(b, type, uuid, 64, 32),
                tmp.resolve("migrate.out"));
        long end = System.nanoTime() + 60_000_000_000L;
        while (b.vmmPids().isEmpty()) {
            assertTrue(System.nanoTime() < end && virsh.isAlive(), "B never started the incoming VMM: " + Files.readString(tmp.resolve("migrate.out")));
            Thread.sleep(20);
        }
        // the transfer under way: A's job has sent some of the pages
        while (!transferred(a)) {
            assertTrue(System.nanoTime() < end && virsh.isAlive(), "the migration never got under way: " + Files.readString(tmp.resolve("migrate.out")));
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        assertTrue(virsh.isAlive(), "the migration is still running when the fault comes: " + Files.readString(tmp.resolve("migrate.out")));
        return virsh;
    }

    private static boolean transferred(Host a) throws Exception {
        Matcher m = Pattern.compile("Memory processed:\\s+([0-9.]+) MiB").matcher(a.local("domjobinfo tick").out());
        return m.find() && Double.parseDouble(m.group(1)) > 1;
    }

    /** Waits for the migration command to fail; returns its output and how long it took after the fault. */
    private String awaitFailure(Process virsh, long faultNanos, long withinSeconds) throws Exception {
        assertTrue(virsh.waitFor(withinSeconds, TimeUnit.SECONDS), "virsh migrate did not end within " + withinSeconds + " s of the fault");
        String out = Files.readString(tmp.resolve("migrate.out"));
        assertNotEquals(0, virsh.exitValue(), "the migration failed: " + out);
        System.out.printf("migration failed %d ms after the fault: %s", (System.nanoTime() - faultNanos) / 1_000_000, out);
        return out;
    }

    /** The guest runs on A only, ticking on from where it was with no second boot; B has nothing left. */
    private static void assertRunsOnAOnly(NetnsHosts hosts, SerialArrivals serial) throws Exception {
        Host a = hosts.a, b = hosts.b;
        assertEquals("running\n\n", a.local("domstate tick").out(), "the source runs on");
        TICKS.await(serial, TICKS.last(serial) + 3);
        TICKS.assertOneBootAndEveryTickOnce(serial);
        assertEquals(1, a.vmmPids().size(), "one VMM on A");
        NetnsGuests.assertNothingOn(b);
    }

    @Test
    void destinationVmmKilledInMidMigrationLeavesTheSourceRunning() throws Exception {
        try (NetnsHosts hosts = NetnsHosts.open(tmp);
             SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Process virsh = slowMigration(hosts, serial);
            long fault = System.nanoTime();
            for (long pid : hosts.b.vmmPids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            awaitFailure(virsh, fault, 60);
            assertRunsOnAOnly(hosts, serial);
        }
    }

    @Test
    void sourceVmmKilledInMidMigrationLeavesNoHalfGuestOnTheDestination() throws Exception {
        try (NetnsHosts hosts = NetnsHosts.open(tmp);
             SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Process virsh = slowMigration(hosts, serial);
            long fault = System.nanoTime();
            for (long pid : hosts.a.vmmPids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            awaitFailure(virsh, fault, 60);
            // the guest's only complete copy was the source's: nothing may run it half-copied on B
            NetnsGuests.assertNothingOn(hosts.b);
            assertEquals(List.of(), hosts.a.vmmPids());
            assertEquals("shut off (crashed)\n\n", hosts.a.local("domstate tick --reason").out(), "A reports its VMM's death");
            TICKS.assertOneBootAndEveryTickOnce(serial);
        }
    }

    @Test
    void linkCutInMidMigrationFailsInBoundedTimeAndTheSourceRunsOn() throws Exception {
        try (NetnsHosts hosts = NetnsHosts.open(tmp);
             SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Process virsh = slowMigration(hosts, serial);
            long fault = System.nanoTime();
            hosts.a.link(false);
            String out = awaitFailure(virsh, fault, 90);
            assertTrue(out.contains("the destination took no data for 10 s"), "the source's VMM gave up on the stalled stream: " + out);
            assertEquals("running\n\n", hosts.a.local("domstate tick").out(), "the source runs on");
            TICKS.await(serial, TICKS.last(serial) + 3);
            // B, cut off, gives up the incoming migration on its own
            NetnsGuests.assertNothingOn(hosts.b);
            hosts.a.link(true);
            assertRunsOnAOnly(hosts, serial);
        }
    }
}
