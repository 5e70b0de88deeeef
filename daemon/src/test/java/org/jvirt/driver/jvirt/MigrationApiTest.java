package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirt.driver.jvirt.LoopbackDaemons.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API's migration (libvirt-java's Domain.migrate, migrate3/virDomainMigrate3,
 * migrateToURI3, abortJob) run client-side as libvirt.c runs it: between two jvirtd over
 * qemu+tcp:// (the remote driver) and between two local jvirt:///embed roots. The ticker ticks
 * on where it went; a bandwidth-limited migration aborted from another client fails with
 * libvirt's "operation aborted" and leaves the source running and the destination empty.
 */
class MigrationApiTest {
    @TempDir Path tmp;

    /** virDomainMigrateFlags. */
    static final int LIVE = 1, PEER2PEER = 2, POSTCOPY = 32768;

    private static void assertState(Domain d, DomainState state, int reason) throws LibvirtException {
        DomainStateReason s = d.getState();
        assertEquals(state, s.state(), d.getName());
        assertEquals(reason, s.reason(), d.getName() + " " + s);
    }

    /** Waits for a tick past AFTER on the serial file (the guest runs wherever it went). */
    private static int ticksPast(TickerEmbed t, int after) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30L * JvirtTestSupport.waitScale());
        int last;
        while ((last = TickerEmbed.lastTick(t.serialText())) <= after) {
            assertTrue(System.nanoTime() < end, "the guest did not tick past " + after);
            Thread.sleep(50);
        }
        return last;
    }

    /** Migrates there with migrate, back with migrate3, checking states and ticks; returns the domain back on the first host. */
    private static Domain thereAndBack(TickerEmbed ticker, Connect a, Connect b) throws Exception {
        Domain d = a.domainLookupByName("tick");
        String uuid = d.getUUIDString();
        int before = ticksPast(ticker, 0);
        Domain there = d.migrate(b, LIVE, null, null, 0);
        assertEquals("tick", there.getName());
        assertEquals(uuid, there.getUUIDString());
        assertState(there, DomainState.VIR_DOMAIN_RUNNING, DomainStateReason.RunningReason.MIGRATED.ordinal());
        assertState(a.domainLookupByName("tick"), DomainState.VIR_DOMAIN_SHUTOFF, DomainStateReason.ShutoffReason.MIGRATED.ordinal());
        int after = ticksPast(ticker, before);
        Domain back = there.migrate3(a, new TypedParameter[] {TypedParameter.ullong("bandwidth", 1000)}, LIVE);
        assertEquals(uuid, back.getUUIDString());
        assertState(back, DomainState.VIR_DOMAIN_RUNNING, DomainStateReason.RunningReason.MIGRATED.ordinal());
        LibvirtException gone = assertThrows(LibvirtException.class, () -> b.domainLookupByName("tick"));
        assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, gone.code());
        ticksPast(ticker, after);
        return back;
    }

    @Test
    void migrateAndMigrate3BetweenTwoJvirtdAndAbortFromAnotherClient() throws Exception {
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        try (TickerEmbed t = TickerEmbed.open(rootA, "migration through the API");
             TickerEmbed tb = TickerEmbed.open(rootB, "migration through the API"); // destroys what a failure leaves on B
             DaemonServer da = start(rootA, tmp.resolve("a-run")); DaemonServer db = start(rootB, tmp.resolve("b-run"))) {
            Connect a = new Connect(uri(da));
            Connect b = new Connect(uri(db));
            a.domainDefineXML(t.xml("")).create();
            Domain d = thereAndBack(t, a, b);

            // libvirt.c's own refusals, before any phase
            LibvirtException p2p = assertThrows(LibvirtException.class, () -> d.migrate3(b, new TypedParameter[0], LIVE | PEER2PEER));
            assertEquals("use virDomainMigrateToURI3 for peer-to-peer migration", p2p.getMessage());
            LibvirtException direct = assertThrows(LibvirtException.class, () -> d.migrateToURI3(null, new TypedParameter[0], LIVE));
            assertEquals("argument unsupported: direct migration is not supported by the source host", direct.getMessage());
            // an option the engine does not honour is refused, never ignored
            LibvirtException postcopy = assertThrows(LibvirtException.class, () -> d.migrate(b, LIVE | POSTCOPY, null, null, 0));
            assertEquals(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, postcopy.code());
            assertEquals("argument unsupported: Migration option 'postcopy-ram' is not supported by jvirt-vmm", postcopy.getMessage());

            // 1 MiB/s: the ticker's dirty pages do not converge; another client aborts
            d.migrateSetMaxSpeed(1, 0);
            assertEquals(1, d.migrateGetMaxSpeed(0));
            CompletableFuture<Domain> migration = CompletableFuture.supplyAsync(() -> {
                try {
                    return d.migrate3(b, new TypedParameter[0], LIVE);
                } catch (LibvirtException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Connect other = new Connect(uri(da));
            Domain seen = other.domainLookupByName("tick");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            DomainJobInfo job;
            while ((job = seen.getJobStats(0)).getType() != DomainJobInfo.UNBOUNDED || job.getMemProcessed() == 0) {
                assertTrue(System.nanoTime() < end && !migration.isDone(), "the migration never showed as a job");
                Thread.sleep(50);
            }
            assertEquals(5, job.number("operation"), "outgoing migration");
            assertEquals(64L << 20, job.getMemTotal());
            int before = TickerEmbed.lastTick(t.serialText());
            assertEquals(0, seen.abortJob());
            Exception failed = assertThrows(Exception.class, () -> migration.get(60, TimeUnit.SECONDS));
            Throwable cause = failed.getCause() instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : failed.getCause();
            LibvirtException aborted = (LibvirtException) cause;
            assertEquals(ErrorNumber.VIR_ERR_OPERATION_ABORTED, aborted.code());
            assertEquals("operation aborted: migration out job: canceled by client", aborted.getMessage());
            assertState(d, DomainState.VIR_DOMAIN_RUNNING, DomainStateReason.RunningReason.MIGRATED.ordinal());
            assertThrows(LibvirtException.class, () -> b.domainLookupByName("tick"), "nothing left on the destination");
            ticksPast(t, before);
            LibvirtException none = assertThrows(LibvirtException.class, seen::abortJob);
            assertEquals("Requested operation is not valid: no job is active on the domain", none.getMessage());
            d.destroy();
        }
    }

    @Test
    void migrateBetweenTwoLocalRoots() throws Exception {
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        try (TickerEmbed t = TickerEmbed.open(rootA, "migration through the API");
             TickerEmbed tb = TickerEmbed.open(rootB, "migration through the API")) {
            Connect a = new Connect(t.uri());
            Connect b = new Connect("jvirt:///embed?root=" + rootB);
            a.domainDefineXML(t.xml("")).create();
            thereAndBack(t, a, b).destroy();
        }
    }

    /**
     * libvirt's order on the destination: the guest is held paused after Perform (its VMM says
     * prelaunch) and runs only at Finish, so a source that never hears the end resumes alone;
     * a connection that prepared an incoming domain and closes before Finish takes it with it
     * (libvirt's autodestroy). A finished migration's downtime reaches Finish's resume.
     */
    @Test
    void destinationHeldUntilFinishAndDestroyedWithThePreparingConnection() throws Exception {
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        try (TickerEmbed t = TickerEmbed.open(rootA, "migration through the API");
             TickerEmbed tb = TickerEmbed.open(rootB, "migration through the API")) {
            Connect a = new Connect(t.uri());
            a.domainDefineXML(t.xml("")).create();
            Domain d = a.domainLookupByName("tick");
            int before = ticksPast(t, 0);

            java.util.List<TypedParameter> p = new java.util.ArrayList<>();
            org.jvirt.driver.spi.MigrationPhase.Begin begun = a.migrateBegin3Params(d, p, LIVE);
            p.add(TypedParameter.string("destination_xml", begun.xml()));
            Connect b = new Connect("jvirt:///embed?root=" + rootB);
            org.jvirt.driver.spi.MigrationPhase.Prepared prepared = b.migratePrepare3Params(p, begun.cookie(), LIVE);
            p.add(TypedParameter.string("migrate_uri", prepared.uri()));
            a.migratePerform3Params(d, null, p, prepared.cookie(), LIVE);

            // both sides paused for the migration; the destination's VMM holds the guest
            assertState(d, DomainState.VIR_DOMAIN_PAUSED, DomainStateReason.PausedReason.MIGRATION.ordinal());
            Domain held = b.domainLookupByName("tick");
            assertState(held, DomainState.VIR_DOMAIN_PAUSED, DomainStateReason.PausedReason.MIGRATION.ordinal());
            StoredDomain heldStored = new DomainStore(JvirtPaths.embed(rootB)).load("tick");
            try (org.jvirt.vmm.protocol.ControlClient c = org.jvirt.vmm.protocol.ControlClient.connect(
                    Path.of(heldStored.status().monitor()), java.time.Duration.ofSeconds(5))) {
                assertEquals(org.jvirt.vmm.protocol.RunState.PRELAUNCH, c.call(new org.jvirt.vmm.protocol.Command.QueryStatus()).status());
            }

            b.close(); // the preparing connection goes before Finish
            Connect b2 = new Connect("jvirt:///embed?root=" + rootB);
            assertThrows(LibvirtException.class, () -> b2.domainLookupByName("tick"), "the held incoming domain outlived its connection");
            a.migrateConfirm3Params(d, p, null, LIVE, true); // cancelled: the source runs on
            assertState(d, DomainState.VIR_DOMAIN_RUNNING, DomainStateReason.RunningReason.UNPAUSED.ordinal());
            int after = ticksPast(t, before);

            // the whole sequence: the downtime runs to Finish's resume on the destination
            Domain there = d.migrate(b2, LIVE, null, null, 0);
            assertState(there, DomainState.VIR_DOMAIN_RUNNING, DomainStateReason.RunningReason.MIGRATED.ordinal());
            DomainJobInfo done = d.getJobStats(1); // VIR_DOMAIN_JOB_STATS_COMPLETED
            assertTrue(done.number("downtime") > 0, "downtime " + done.number("downtime"));
            ticksPast(t, after);
            there.destroy();
        }
    }
}
