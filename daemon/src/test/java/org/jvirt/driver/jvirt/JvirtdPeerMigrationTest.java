package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.jvirt.driver.jvirt.LoopbackDaemons.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.daemon.server.DaemonServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real virsh drives peer-to-peer migrations between two jvirtd "hosts" (two state roots on
 * this machine): `virsh migrate --p2p` makes the source's jvirtd run the whole migration as a
 * client of the destination's; `--tunnelled` carries the guest's memory inside that libvirt
 * connection as a stream; `--offline --persistent` moves only the definition. One guest is
 * booted once and goes there and back in both modes, its ticks going on from where they were;
 * --persistent, --undefinesource, --dname and --suspend on the way. An unreachable destination
 * leaves the source running, with libvirt's error.
 */
class JvirtdPeerMigrationTest {
    @TempDir Path tmp;

    /** A migration virsh reports as done: no output, status 0; how long it took, ms. */
    private static long migrate(String uri, String args) throws Exception {
        long t0 = System.nanoTime();
        VirshResult r = run(uri, "migrate " + args);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new VirshResult(0, "\n"), r, "virsh migrate " + args);
        System.out.println("virsh migrate " + args.replaceAll("qemu\\+tcp://\\S+", "DEST") + ": " + ms + " ms");
        return ms;
    }

    /** "Total time" and "Total downtime" of the last migration, from domjobinfo --completed on the source. */
    private static String jobTimes(String uri, String name) throws Exception {
        String job = virsh(uri, "domjobinfo " + name + " --completed");
        Matcher total = Pattern.compile("Time elapsed:\\s+(\\d+)\\s+ms").matcher(job);
        Matcher down = Pattern.compile("Total downtime:\\s+(\\d+)\\s+ms").matcher(job);
        assertTrue(total.find() && down.find(), job);
        return "elapsed " + total.group(1) + " ms, downtime " + down.group(1) + " ms";
    }

    /**
     * A 256 MiB guest rewriting 64 MiB in a loop goes peer-to-peer natively and tunnelled, there
     * and back: the tunnel carries the data (the stream's back-pressure paces the source VMM) and
     * the guest ticks on. The times are printed, not asserted (a shared machine). Then the
     * destination's daemon goes away in the middle of a tunnelled migration: libvirt's "Lost
     * connection to destination host", the source running on.
     */
    @Test
    void aDirtyingGuestGoesThroughTheTunnel() throws Exception {
        assumeTrue(Boolean.getBoolean("jvirt.migration.long"), "~55-110 s: runs with -Djvirt.migration.long=true (the default run "
                + "tunnels in realVirshMigratesPeerToPeerTunnelledAndOffline and cuts migrations in TwoHostMigrationTest)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed");
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        try (TickerEmbed ta = TickerEmbed.open(rootA, "tunnelled migration of a dirtying guest");
             TickerEmbed tb = TickerEmbed.open(rootB, "tunnelled migration of a dirtying guest");
             DaemonServer a = start(rootA, tmp.resolve("a-run")); DaemonServer b = start(rootB, tmp.resolve("b-run"))) {
            String uriA = uri(a);
            String uriB = uri(b);
            Path xml = tmp.resolve("dirty.xml");
            Files.writeString(xml, JvirtTestSupport.domainXml("dirty", "ticker").replace("64</memory>", "256</memory>")
                    .replace("</kernel>", "</kernel>\n    <cmdline>dirty=64</cmdline>"));
            assertEquals("Domain 'dirty' defined from " + xml + "\n\n", virsh(uriA, "define " + xml));
            assertEquals("Domain 'dirty' started\n\n", virsh(uriA, "start dirty"));
            int ticks = lastTick(uriA, "dirty");
            assertTrue(ticks > 0, "the guest ticks on A");
            // each mode both ways
            String[][] hops = {{uriA, uriB, "--p2p"}, {uriB, uriA, "--p2p"}, {uriA, uriB, "--p2p --tunnelled"}, {uriB, uriA, "--p2p --tunnelled"}};
            for (String[] hop : hops) {
                long ms = migrate(hop[0], "--live --persistent " + hop[2] + " dirty " + hop[1]);
                System.out.println("256 MiB dirtying 64 MiB, " + hop[2] + ": virsh " + ms + " ms, " + jobTimes(hop[0], "dirty"));
                assertEquals("running (migrated)\n\n", virsh(hop[1], "domstate dirty --reason"));
                int now = lastTick(hop[1], "dirty");
                assertTrue(now > ticks, hop[2] + ": ticks on from where they were: " + ticks + " then " + now);
                ticks = now;
            }
            // the destination's daemon goes away in the middle of a tunnelled migration (kept slow by --bandwidth):
            // the stream breaks, the source's VMM stops sending and runs on; libvirt's error for a lost destination
            Path rootC = Files.createDirectories(tmp.resolve("c"));
            try (TickerEmbed tc = TickerEmbed.open(rootC, "tunnelled migration of a dirtying guest"); DaemonServer c = start(rootC, tmp.resolve("c-run"))) {
                String uriC = uri(c);
                java.util.concurrent.CompletableFuture<VirshResult> lost = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return run(uriA, "migrate --live --p2p --tunnelled --bandwidth 20 dirty " + uriC);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long end = System.nanoTime() + 60_000_000_000L;
                // C prepared (its VMM waits for the tunnel's bytes): a second into the transfer, C goes
                while (!virsh(uriC, "domstate dirty").startsWith("paused") && !lost.isDone() && System.nanoTime() < end) Thread.sleep(20);
                assumeTrue(!lost.isDone(), "the migration ended before the destination could be stopped");
                Thread.sleep(1000);
                c.close();
                VirshResult r = lost.get(120, TimeUnit.SECONDS);
                assertEquals(new VirshResult(1, "error: operation failed: Lost connection to destination host\n\n"), r);
                assertEquals("running", virsh(uriA, "domstate dirty").trim());
                int now = lastTick(uriA, "dirty");
                assertTrue(now > ticks, "ticks on at the source: " + ticks + " then " + now);
            }
            assertEquals("Domain 'dirty' destroyed\n\n", virsh(uriA, "destroy dirty"));
        }
    }

    @Test
    void realVirshMigratesPeerToPeerTunnelledAndOffline() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed");
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        try (TickerEmbed ta = TickerEmbed.open(rootA, "peer-to-peer migration between two jvirtd");
             TickerEmbed tb = TickerEmbed.open(rootB, "peer-to-peer migration between two jvirtd");
             DaemonServer a = start(rootA, tmp.resolve("a-run")); DaemonServer b = start(rootB, tmp.resolve("b-run"))) {
            String uriA = uri(a);
            String uriB = uri(b);
            Path xml = tmp.resolve("tick.xml");
            Files.writeString(xml, JvirtTestSupport.domainXml("tick", "ticker"));
            assertEquals("Domain 'tick' defined from " + xml + "\n\n", virsh(uriA, "define " + xml));
            assertEquals("Domain 'tick' started\n\n", virsh(uriA, "start tick"));
            String uuid = virsh(uriA, "domuuid tick").trim();
            int ticks = lastTick(uriA, "tick");
            assertTrue(ticks > 0, "the guest ticks on A");

            // 1. peer-to-peer, native: A's jvirtd drives it; B keeps the config, A's is gone
            migrate(uriA, "--live --p2p --persistent --undefinesource tick " + uriB);
            assertEquals("running (migrated)\n\n", virsh(uriB, "domstate tick --reason"));
            assertTrue(virsh(uriB, "dominfo tick").contains("Persistent:     yes"), virsh(uriB, "dominfo tick"));
            assertTrue(virsh(uriA, "list --all --name").isBlank(), "A has nothing left: " + virsh(uriA, "list --all"));
            int now = lastTick(uriB, "tick");
            assertTrue(now > ticks, "the guest ticks on on B from where it was: " + ticks + " then " + now);
            ticks = now;

            // 2. tunnelled back to A, under another name, left paused there
            migrate(uriB, "--live --p2p --tunnelled --dname tock --suspend tick " + uriA);
            assertEquals("paused (user)\n\n", virsh(uriA, "domstate tock --reason"));
            assertEquals(uuid + "\n\n", virsh(uriA, "domuuid tock"));
            assertEquals("shut off (migrated)\n\n", virsh(uriB, "domstate tick --reason"), "B keeps its config of tick");
            String job = virsh(uriB, "domjobinfo tick --completed");
            assertTrue(job.contains("Job type:         Completed") && job.contains("Operation:        Outgoing migration")
                    && job.contains("Total downtime:"), job);
            assertEquals("Domain 'tock' resumed\n\n", virsh(uriA, "resume tock"));
            now = lastTick(uriA, "tock");
            assertTrue(now > ticks, "ticks on after the tunnel: " + ticks + " then " + now);
            ticks = now;

            // 3. tunnelled to B again, and 4. peer-to-peer (native) back
            assertEquals("Domain 'tick' has been undefined\n\n", virsh(uriB, "undefine tick"));
            migrate(uriA, "--live --p2p --tunnelled tock " + uriB);
            assertEquals("running (migrated)\n\n", virsh(uriB, "domstate tock --reason"));
            assertTrue(virsh(uriA, "list --all --name").isBlank(), "A held it transient: nothing left there");
            now = lastTick(uriB, "tock");
            assertTrue(now > ticks, "ticks on in B: " + ticks + " then " + now);
            ticks = now;
            VirshResult verbose = run(uriB, "migrate --live --p2p --verbose tock " + uriA);
            assertEquals(0, verbose.status(), verbose.out());
            assertTrue(verbose.out().contains("Migration: [100 %]"), "virsh's progress, as it prints it: " + verbose.out());
            assertEquals("running (migrated)\n\n", virsh(uriA, "domstate tock --reason"));
            assertTrue(virsh(uriB, "list --all --name").isBlank(), "B held it transient: nothing left there");
            now = lastTick(uriA, "tock");
            assertTrue(now > ticks, "ticks on back on A: " + ticks + " then " + now);

            // an unreachable destination: libvirt's error (the connection's own, passed on), the source runs on
            VirshResult r = run(uriA, "migrate --live --p2p tock qemu+tcp://127.0.0.1:1/system");
            assertEquals(new VirshResult(1, "error: unable to connect to server at '127.0.0.1:1': Connection refused\n\n"), r);
            r = run(uriA, "migrate --live --p2p --tunnelled tock qemu+tcp://127.0.0.1:1/system");
            assertEquals(new VirshResult(1, "error: unable to connect to server at '127.0.0.1:1': Connection refused\n\n"), r);
            r = run(uriA, "migrate --live --p2p --tunnelled --migrateuri tcp:127.0.0.1:49999 tock " + uriB);
            assertEquals(new VirshResult(1, "error: argument unsupported: migration URI is not supported by tunnelled migration\n\n"), r);
            r = run(uriA, "migrate --live --p2p --tunnelled --listen-address 127.0.0.1 tock " + uriB);
            assertEquals(new VirshResult(1, "error: argument unsupported: listen address is not supported by tunnelled migration\n\n"), r);
            String hostUuid = Files.readString(rootA.resolve("config/host-uuid")).trim();
            r = run(uriA, "migrate --live --p2p tock " + uriA);
            assertEquals(new VirshResult(1, "error: internal error: Attempt to migrate guest to the same host " + hostUuid + "\n\n"), r);
            assertEquals("running (migrated)\n\n", virsh(uriA, "domstate tock --reason"), "not touched");
            // a Perform that fails (the destination's VMM has another RAM size and refuses the stream): Finish
            // cancels there, Confirm here, the source runs on; in both modes
            Path bigger = tmp.resolve("tock-128.xml");
            Files.writeString(bigger, JvirtTestSupport.domainXml("tock", "ticker").replace("</name>", "</name>\n  <uuid>" + uuid + "</uuid>").replace("64</memory>", "128</memory>"));
            for (String mode : new String[] {"--p2p", "--p2p --tunnelled"}) {
                r = run(uriA, "migrate --live " + mode + " --xml " + bigger + " tock " + uriB);
                assertEquals(1, r.status(), r.out());
                // what the VMM saw first: the destination's refusal, or the connection it closed on refusing
                assertTrue(r.out().startsWith("error: operation failed: migration out job: "), mode + ": " + r.out());
                System.out.println("virsh migrate " + mode + " to a VMM that refuses: " + r.out().trim());
                assertEquals("running (migrated)\n\n", virsh(uriA, "domstate tock --reason"), mode);
                assertTrue(virsh(uriB, "list --all --name").isBlank(), mode + ": the destination removed what it had started");
            }
            assertTrue(lastTick(uriA, "tock") > now, "the source still ticks");
            assertEquals("Domain 'tock' destroyed\n\n", virsh(uriA, "destroy tock"));

            // offline: only the definition moves (client-driven, then peer-to-peer with --undefinesource)
            Path offXml = tmp.resolve("off.xml");
            Files.writeString(offXml, JvirtTestSupport.domainXml("off", "ticker"));
            assertEquals("Domain 'off' defined from " + offXml + "\n\n", virsh(uriA, "define " + offXml));
            r = run(uriA, "migrate --offline off " + uriB);
            assertEquals(new VirshResult(1, "error: Requested operation is not valid: offline migration must be specified with the persistent flag set\n\n"), r);
            r = run(uriA, "migrate --live off " + uriB);
            assertEquals(new VirshResult(1, "error: Requested operation is not valid: domain is not running\n\n"), r);
            migrate(uriA, "--offline --persistent off " + uriB);
            assertEquals("shut off\n\n", virsh(uriB, "domstate off"));
            assertEquals(virsh(uriA, "domuuid off"), virsh(uriB, "domuuid off"));
            assertEquals("shut off\n\n", virsh(uriA, "domstate off"), "A keeps it without --undefinesource");
            assertEquals("Domain 'off' has been undefined\n\n", virsh(uriB, "undefine off"));
            migrate(uriA, "--p2p --offline --persistent --undefinesource --dname off2 off " + uriB);
            assertEquals("shut off\n\n", virsh(uriB, "domstate off2"));
            assertTrue(virsh(uriA, "list --all --name").isBlank(), "--undefinesource: A has nothing left");
            r = run(uriB, "migrate --p2p --tunnelled --offline --persistent off2 " + uriA);
            assertEquals(new VirshResult(1, "error: Requested operation is not valid: tunnelled offline migration does not make sense\n\n"), r);
        }
    }
}
