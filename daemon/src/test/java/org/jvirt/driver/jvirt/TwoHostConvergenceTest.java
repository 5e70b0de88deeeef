package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.jvirt.NetnsGuests.Ticks;
import org.jvirt.driver.jvirt.NetnsHosts.Host;
import org.jvirt.driver.jvirt.NetnsHosts.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a guest that dirties memory faster than the migration bandwidth, between the two
 * netns hosts ({@link NetnsHosts}) with the real virsh. The ticker rewrites 1 MiB without pause
 * (every page of it dirty again long before a round ends) and the link is held to 1 MiB/s
 * (--bandwidth 1): the rest never fits the 300 ms downtime by itself.
 * <ul>
 * <li>--auto-converge: the vCPUs are throttled until it fits (domjobinfo shows the throttle
 * meanwhile); the migration completes, the source's domjobinfo --completed shows it, the ticks
 * go on at the destination with no repeat and no gap;
 * <li>--timeout N without --auto-converge: virsh suspends the source after N s (its default
 * --timeout-suspend; the source then reads "paused (migrating)", as libvirt's qemuDomainSuspend
 * says during an outgoing migration), the rest is sent and, as libvirt's Finish does without
 * VIR_MIGRATE_PAUSED (qemuMigrationDstFinishFresh), the destination runs the guest;
 * <li>domjobabort from a second virsh while the rounds go on: the migration fails with
 * libvirt's "canceled by client", the source runs on and the destination has nothing left.
 * </ul>
 * The guest runs on KVM where it is usable, else on the emulator (its rewrite of 1 MiB takes
 * well under the 1 s the link needs for it, so it outruns the link on either backend).
 */
class TwoHostConvergenceTest {
    @TempDir Path tmp;

    static final Ticks TICKS = Ticks.TICKER;
    static final int MEMORY_MIB = 64, DIRTY_MIB = 1, BANDWIDTH_MIB = 1;

    /**
     * CI runs the auto-converge case between the two hosts; the --timeout and domjobabort cases
     * (~50 s) run with -Djvirt.migration.long=true, CI has both flows on one host through jvirsh
     * (MigrateVirshTest's timeoutSuspend and domjobabort cases).
     */
    private static void assumeLong(String what) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("jvirt.migration.long"),
                "the two-host " + what + " case runs with -Djvirt.migration.long=true (MigrateVirshTest has it in CI)");
    }

    /** Two hosts, the ticker started on A; skips (with the reason) where they cannot be had. */
    private NetnsHosts open() throws Exception {
        return NetnsHosts.open(tmp);
    }

    private record Guest(Path xmlB) { }

    private Guest start(NetnsHosts hosts, SerialArrivals serial) throws Exception {
        String uuid = UUID.randomUUID().toString();
        Path xmlA = NetnsGuests.write(tmp, "tick-a.xml", NetnsGuests.tickerXml(hosts.a, JvirtTestSupport.guestVirtType(), uuid, MEMORY_MIB, DIRTY_MIB));
        Path xmlB = NetnsGuests.write(tmp, "tick-b.xml", NetnsGuests.tickerXml(hosts.b, JvirtTestSupport.guestVirtType(), uuid, MEMORY_MIB, DIRTY_MIB));
        NetnsGuests.startTicker(hosts.a, xmlA, serial);
        return new Guest(xmlB);
    }

    /** virsh migrate from A to B with OPTIONS; asserts it succeeded; returns how long it took, ms. */
    private static long migrate(NetnsHosts hosts, Guest g, String options) throws Exception {
        Host a = hosts.a, b = hosts.b;
        long t0 = System.nanoTime();
        Result r = a.virsh(a.uri(), "migrate --live --persistent " + options + " tick " + b.uri() + " --xml " + g.xmlB());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new Result(0, "\n"), r, "virsh migrate " + options);
        return ms;
    }

    /** After a completed migration: A's completed job, the guest running on B, ticking on with no repeat and no gap. */
    private static String assertMovedAndTicksOn(NetnsHosts hosts, SerialArrivals serial) throws Exception {
        Host a = hosts.a, b = hosts.b;
        String job = a.virsh(a.uri(), "domjobinfo tick --completed").out();
        assertTrue(job.contains("Job type:         Completed") && job.contains("Operation:        Outgoing migration")
                && Pattern.compile("Total downtime:\\s+\\d+\\s+ms").matcher(job).find(), job);
        assertEquals("shut off (migrated)\n\n", a.virsh(a.uri(), "domstate tick --reason").out());
        assertEquals("running (migrated)\n\n", b.virsh(b.uri(), "domstate tick --reason").out());
        int last = TICKS.last(serial);
        TICKS.await(serial, last + 3);
        List<SerialArrivals.Line> ticks = TICKS.assertOneBootAndEveryTickOnce(serial);
        assertEquals(NetnsGuests.serialSocket(b), ticks.get(ticks.size() - 1).socket(), "the ticks now come from B");
        assertEquals(List.of(), a.vmmPids(), "no VMM left on A");
        assertEquals("Domain 'tick' destroyed\n\n", b.virsh(b.uri(), "destroy tick").out());
        return job;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void autoConvergeThrottlesAGuestDirtyingFasterThanTheLink() throws Exception {
        try (NetnsHosts hosts = open(); SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Guest g = start(hosts, serial);
            long ms;
            Poll jobs = new Poll(hosts.a, "domjobinfo tick");
            try (jobs) {
                ms = migrate(hosts, g, "--auto-converge --bandwidth " + BANDWIDTH_MIB);
            }
            String job = assertMovedAndTicksOn(hosts, serial);
            // what domjobinfo showed while it ran: the throttle auto-converge set (libvirt's "Auto converge throttle")
            int throttle = 0;
            for (String a : jobs.answers) {
                Matcher m = Pattern.compile("Auto converge throttle:\\s+(\\d+)").matcher(a);
                if (m.find()) throttle = Math.max(throttle, Integer.parseInt(m.group(1)));
            }
            System.out.printf("--auto-converge at %d MiB/s: virsh %d ms, throttle up to %d%%%n%s", BANDWIDTH_MIB, ms, throttle, job);
            assertTrue(throttle >= org.jvirt.vmm.migration.MigrationParams.THROTTLE_INITIAL, "domjobinfo showed the vCPU throttled while it ran (up to " + throttle + "%)");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void timeoutSuspendsTheSourceAndTheDestinationRunsIt() throws Exception {
        assumeLong("--timeout");
        // counted by virsh from its start, Prepare's VMM start included (seconds on a loaded machine): long
        // enough that the transfer has gone on for rounds when the suspend comes
        int timeout = 20;
        try (NetnsHosts hosts = open(); SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Guest g = start(hosts, serial);
            // A's states while it goes: running, then paused with the migration's reason (libvirt's qemuDomainSuspend
            // during an outgoing migration, and its state from the end of Perform to Confirm), never the user's
            long ms;
            Poll domstate = new Poll(hosts.a, "domstate tick --reason");
            try (domstate) {
                ms = migrate(hosts, g, "--timeout " + timeout + " --bandwidth " + BANDWIDTH_MIB);
            }
            Set<String> states = new TreeSet<>(domstate.answers);
            assertTrue(ms >= timeout * 1000L, "it did not converge by itself: virsh suspended the source after " + timeout + " s, it ended after " + ms + " ms");
            String job = assertMovedAndTicksOn(hosts, serial);
            Matcher processed = Pattern.compile("Memory processed:\\s+([0-9.]+) MiB").matcher(job);
            assertTrue(processed.find() && Double.parseDouble(processed.group(1)) >= 3 * DIRTY_MIB,
                    "the dirty rounds went on until the suspend (the first pass is about " + DIRTY_MIB + " MiB): " + job);
            System.out.printf("--timeout %d at %d MiB/s: virsh %d ms, states of A seen meanwhile %s%n%s", timeout, BANDWIDTH_MIB, ms, states, job);
            states.removeAll(Set.of("running (booted)", "paused (migrating)", "shut off (migrated)"));
            assertEquals(Set.of(), states, "A's states while it migrated");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void domjobabortWhileItCannotConvergeLeavesTheSourceRunning() throws Exception {
        assumeLong("domjobabort");
        try (NetnsHosts hosts = open(); SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Host a = hosts.a, b = hosts.b;
            Guest g = start(hosts, serial);
            Path out = tmp.resolve("migrate.out");
            Process virsh = a.startVirsh(a.uri(), "migrate --live --bandwidth " + BANDWIDTH_MIB + " tick " + b.uri() + " --xml " + g.xmlB(), out);
            try {
                // the dirty rounds going on: the second pass over the dirty pages and beyond
                long end = System.nanoTime() + 120_000_000_000L;
                while (iteration(a) < 3) {
                    assertTrue(virsh.isAlive(), "the migration ended by itself: " + Files.readString(out));
                    assertTrue(System.nanoTime() < end, "the migration never reached its third round: " + a.local("domjobinfo tick").out());
                    Thread.sleep(200);
                }
                Result abort = a.virsh(a.uri(), "domjobabort tick");
                assertEquals(new Result(0, "\n"), abort);
                assertTrue(virsh.waitFor(60, TimeUnit.SECONDS), "virsh migrate ended after the abort");
            } finally {
                virsh.destroyForcibly();
            }
            assertEquals(1, virsh.exitValue());
            assertEquals("error: operation aborted: migration out job: canceled by client\n\n", Files.readString(out));
            assertEquals("running (booted)\n\n", a.local("domstate tick --reason").out(), "the source runs on");
            TICKS.await(serial, TICKS.last(serial) + 3);
            List<SerialArrivals.Line> ticks = TICKS.assertOneBootAndEveryTickOnce(serial);
            assertEquals(NetnsGuests.serialSocket(a), ticks.get(ticks.size() - 1).socket(), "the ticks come from A");
            assertEquals(1, a.vmmPids().size(), "one VMM on A");
            NetnsGuests.assertNothingOn(b);
            assertEquals("Domain 'tick' destroyed\n\n", a.virsh(a.uri(), "destroy tick").out());
        }
    }

    /** Runs a virsh command on a host's unix socket again and again (from start to close) and keeps each answer. */
    private static final class Poll implements AutoCloseable {
        final Queue<String> answers = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Poll(Host host, String command) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        answers.add(host.local(command).out().trim());
                    } catch (Exception e) {
                        answers.add(e.toString());
                    }
                }
            }, "poll " + command);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    /** The running migration's pass over the RAM (domjobinfo's Iteration), 0 before it shows one. */
    private static int iteration(Host a) throws Exception {
        Matcher m = Pattern.compile("Iteration:\\s+(\\d+)").matcher(a.local("domjobinfo tick").out());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
