package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;
import org.jvirt.virsh.testing.VmmLauncher;

/**
 * jvirsh migrate against the real virsh 9.0, the same command lines against the same two
 * jvirtd "hosts" (two state roots in this JVM, so two host UUIDs, TCP on 127.0.0.1): the live
 * migration there and back, with and without --verbose; the option and driver errors; a
 * bandwidth-limited migration (migrate-setspeed 1 MiB/s: the ticker dirties faster, so it does
 * not converge alone) seen by domjobinfo, then cancelled by domjobabort from another client
 * (the source runs on, nothing is left on the destination), or ended by --timeout with
 * --timeout-suspend (the guest suspended, the rest sent, running on the destination). Outputs
 * are compared byte for byte; the progress lines before the last, whose percentages depend on
 * timing, are checked for virsh's form and compared after removal.
 */
class MigrateVirshTest {
    private static final Path GUESTS = Path.of("..", "test-fixtures", "target", "guests").toAbsolutePath().normalize();
    private static final Path VIRSH = Path.of("/usr/bin/virsh");
    private static final Pattern PROGRESS = Pattern.compile("\rMigration: \\[([ 0-9]{3}) %\\]");

    private Path work;
    private String previousVmm;
    private final List<DaemonServer> daemons = new ArrayList<>();
    private String uriA;
    private String uriB;

    /** rc, stdout, stderr. */
    record Out(int rc, String out, String err) {
        /** The progress lines but the last removed: what does not depend on timing. */
        Out steady() {
            String e = err;
            Matcher m = PROGRESS.matcher(e);
            int lastStart = -1;
            while (m.find()) lastStart = m.start();
            if (lastStart >= 0) e = e.substring(0, lastStart).replaceAll(PROGRESS.pattern(), "") + e.substring(lastStart);
            return new Out(rc, out, e);
        }

        /** The progress values virsh printed, in order. */
        List<Integer> progress() {
            List<Integer> v = new ArrayList<>();
            Matcher m = PROGRESS.matcher(err);
            while (m.find()) v.add(Integer.parseInt(m.group(1).trim()));
            return v;
        }
    }

    private Out jvirsh(String uri, String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", uri, line}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), work);
        return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Out virsh(String uri, String line) {
        try {
            ProcessBuilder pb = new ProcessBuilder(VIRSH.toString(), "-c", uri, line).directory(work.toFile());
            pb.environment().put("LC_ALL", "C");
            Path errFile = Files.createTempFile(work, "virsh", ".err");
            pb.redirectError(errFile.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "virsh " + line);
            String err = Files.readString(errFile);
            Files.delete(errFile);
            return new Out(p.exitValue(), out, err);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private DaemonServer daemon(Path root, String name) throws Exception {
        DaemonServer d = new DaemonServer(new ServerSettings(Files.createDirectories(root), Files.createDirectories(work.resolve(name + "-run")),
                PosixFilePermissions.fromString("rwx------"), PosixFilePermissions.fromString("rwxrwxrwx"), null, "127.0.0.1", 0, -1, null, null,
                5000, 20, 5, 5));
        daemons.add(d);
        d.start();
        return d;
    }

    private void start() throws Exception {
        assumeTrue(Files.isExecutable(VIRSH), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.exists(GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        // a short directory: the VMMs' control sockets live under it (sun_path is 108 bytes)
        work = Files.createTempDirectory(Path.of("/tmp"), "jm");
        previousVmm = System.setProperty("jvirt.vmm", VmmLauncher.script(work).toString());
        uriA = "qemu+tcp://127.0.0.1:" + daemon(work.resolve("a"), "a").tcpPort() + "/system";
        uriB = "qemu+tcp://127.0.0.1:" + daemon(work.resolve("b"), "b").tcpPort() + "/system";
        String type = org.jvirt.vmm.kvm.Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu") ? "kvm" : "qemu";
        Files.writeString(work.resolve("tick.xml"), "<domain type='" + type + "'>\n  <name>tick</name>\n  <memory unit='MiB'>64</memory>\n"
                + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + GUESTS.resolve("ticker.elf")
                + "</kernel>\n  </os>\n  <devices>\n    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n  </devices>\n</domain>\n");
        assertEquals(0, jvirsh(uriA, "define tick.xml").rc());
        assertEquals(0, jvirsh(uriA, "start tick").rc());
    }

    @AfterEach
    void stop() throws Exception {
        if (work == null) return;
        for (String uri : new String[] {uriA, uriB}) if (uri != null) jvirsh(uri, "destroy tick");
        for (DaemonServer d : daemons) d.close();
        try (java.util.stream.Stream<Path> all = Files.walk(work)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
        if (previousVmm == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previousVmm);
    }

    private String state(String uri) {
        return jvirsh(uri, "domstate tick --reason").out();
    }

    /** A migration that the real virsh succeeded with: stdout empty but virsh's closing newline, --verbose: progress ending at 100. */
    private static void assertMigrated(Out o, boolean verbose) {
        assertEquals(0, o.rc(), o.err());
        assertEquals("\n", o.out());
        if (!verbose) {
            assertEquals("", o.err());
            return;
        }
        assertTrue(o.err().endsWith("\rMigration: [100 %]"), o.err());
        assertEquals("", o.err().replaceAll(PROGRESS.pattern(), ""), "nothing but progress on stderr: " + o.err());
        List<Integer> v = o.progress();
        for (int i = 1; i < v.size(); i++) assertTrue(v.get(i) >= v.get(i - 1), o.err());
    }

    @Test
    void migrateThereAndBackAsTheRealVirshDoes() throws Exception {
        start();
        // the same command line, one way by virsh and back by jvirsh, then the other way round
        for (String verbose : new String[] {"", " --verbose"}) {
            Out v = virsh(uriA, "migrate --live" + verbose + " tick " + uriB);
            assertMigrated(v, !verbose.isEmpty());
            assertEquals("running (migrated)\n\n", state(uriB));
            assertEquals("shut off (migrated)\n\n", state(uriA));
            // domjobinfo --completed on the source: the same report (figures aside) from both
            Out vj = virsh(uriA, "domjobinfo tick --completed");
            Out jj = jvirsh(uriA, "domjobinfo tick --completed");
            assertEquals(mask(vj.out()), mask(jj.out()));
            assertTrue(jj.out().contains("Operation:        Outgoing migration\n") && jj.out().contains("Total downtime:"), jj.out());
            Out j = jvirsh(uriB, "migrate --live" + verbose + " tick " + uriA);
            assertMigrated(j, !verbose.isEmpty());
            assertEquals(v.steady(), j.steady());
            assertEquals("running (migrated)\n\n", state(uriA));
            assertEquals("", jvirsh(uriB, "list --all --name").out().trim(), "B keeps nothing of a transient guest that left");
        }
        // --suspend: the guest stays paused on the destination (libvirt's "paused (user)"), and goes back paused
        Out vs = virsh(uriA, "migrate --live --suspend tick " + uriB);
        assertMigrated(vs, false);
        assertEquals("paused (user)\n\n", state(uriB));
        assertEquals(vs, jvirsh(uriB, "migrate --live tick " + uriA));
        assertEquals("paused (user)\n\n", state(uriA), "a paused source migrates paused (virDomainMigrate3 adds VIR_MIGRATE_PAUSED)");
        assertEquals(0, jvirsh(uriA, "resume tick").rc());
    }

    @Test
    void renamedPersistentAndOverAGivenAddressAsTheRealVirshDoes() throws Exception {
        start();
        // --dname: the guest arrives under the new name (and leaves the source's config shut off)
        Out v = virsh(uriA, "migrate --live --dname tock tick " + uriB);
        assertMigrated(v, false);
        assertEquals("running (migrated)\n\n", jvirsh(uriB, "domstate tock --reason").out());
        assertEquals("shut off (migrated)\n\n", state(uriA));
        Out j = jvirsh(uriB, "migrate --live --dname tick tock " + uriA);
        assertEquals(v, j);
        assertEquals("running (migrated)\n\n", state(uriA));
        // --persistent --undefinesource: the config moves with the guest
        v = virsh(uriA, "migrate --live --persistent --undefinesource tick " + uriB);
        assertMigrated(v, false);
        assertEquals("tick", jvirsh(uriB, "list --all --persistent --name").out().trim());
        assertEquals("", jvirsh(uriA, "list --all --name").out().trim(), "undefined on the source");
        j = jvirsh(uriB, "migrate --live --persistent --undefinesource tick " + uriA);
        assertEquals(v, j);
        assertEquals("tick", jvirsh(uriA, "list --all --persistent --name").out().trim());
        assertEquals("", jvirsh(uriB, "list --all --name").out().trim());
        // --xml: the destination runs the definition given (here the guest's own, with a title added)
        Files.writeString(work.resolve("mig.xml"), jvirsh(uriA, "dumpxml --migratable tick").out().trim()
                .replace("</name>", "</name>\n  <title>moved</title>") + "\n");
        v = virsh(uriA, "migrate --live --xml mig.xml tick " + uriB);
        assertMigrated(v, false);
        assertTrue(jvirsh(uriB, "dumpxml tick").out().contains("<title>moved</title>"));
        assertEquals(v, jvirsh(uriB, "migrate --live --xml mig.xml tick " + uriA));
        assertTrue(jvirsh(uriA, "dumpxml tick").out().contains("<title>moved</title>"));
        // --migrateuri and --listen-address: the VMMs meet on the loopback address given
        String opts = "migrate --live --migrateuri tcp:127.0.0.1 --listen-address 127.0.0.1 tick ";
        v = virsh(uriA, opts + uriB);
        assertMigrated(v, false);
        assertEquals(v, jvirsh(uriB, opts + uriA));
        assertEquals("running (migrated)\n\n", state(uriA));
    }

    /** Numbers and their units masked: the layout virsh prints, whatever the figures. */
    private static String mask(String report) {
        return report.replaceAll("(?m)^([A-Za-z /]+:\\s+)[0-9][^\n]*$", "$1N");
    }

    @Test
    void errorsAreTheRealVirshs() throws Exception {
        start();
        String[] lines = {"migrate --live tick qemu+tcp://127.0.0.1:1/system",
            "migrate --live --postcopy --timeout-postcopy --timeout 3 tick " + uriB,
            "migrate --live --timeout-postcopy --timeout 3 tick " + uriB, "migrate --live --timeout-suspend tick " + uriB,
            "migrate --timeout 3 tick " + uriB, "migrate --live --timeout -1 tick " + uriB,
            "migrate --live --timeout 0 --timeout-suspend tick " + uriB, "migrate --live --timeout 4294967296 tick " + uriB, "migrate --live nosuch " + uriB,
            "migrate --live --xml /nonexistent.xml tick " + uriB, "migrate --live --persistent-xml tick.xml tick " + uriB,
            "migrate --live --direct tick " + uriB, "migrate --live --tunnelled tick " + uriB,
            "migrate --offline tick " + uriB, "migrate --live --change-protection tick " + uriB,
            "migrate --live --copy-storage-all --copy-storage-inc tick " + uriB, "migrate --live tick " + uriA,
            "migrate-setmaxdowntime tick 0", "migrate-setspeed tick x", "migrate-setspeed tick 8796093022208", "domjobabort tick",
            "domjobabort nosuch"};
        for (String line : lines) {
            Out v = virsh(uriA, line);
            Out j = jvirsh(uriA, line);
            assertEquals(1, v.rc(), line + ": " + v);
            assertEquals(v, j, line);
        }
        assertEquals("running (booted)\n\n", state(uriA), "nothing moved the guest");
        assertEquals("", jvirsh(uriB, "list --all --name").out().trim());
        for (String line : new String[] {"migrate-setmaxdowntime tick 250", "migrate-getmaxdowntime tick", "migrate-setspeed tick 7",
            "migrate-getspeed tick"}) {
            assertEquals(virsh(uriA, line), jvirsh(uriA, line), line);
        }
        assertEquals("250\n\n", jvirsh(uriA, "migrate-getmaxdowntime tick").out());
        assertEquals("7\n\n", jvirsh(uriA, "migrate-getspeed tick").out());
    }

    /** Runs migrate in the background, waits until the source reports the migration running, returns domjobinfo's report then. */
    private static String awaitRunning(BiFunction<String, String, Out> client, String uri, CompletableFuture<Out> migration) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            assertTrue(!migration.isDone(), () -> "the migration ended before it was seen: " + migration.join());
            String info = client.apply(uri, "domjobinfo tick").out();
            if (info.startsWith("Job type:         Unbounded") && info.contains("Memory bandwidth:")) return info;
            Thread.sleep(100);
        }
        throw new AssertionError("the migration never showed in domjobinfo");
    }

    @Test
    void domjobabortCancelsABandwidthLimitedMigrationAndTheSourceRunsOn() throws Exception {
        start();
        assertEquals(0, jvirsh(uriA, "migrate-setspeed tick 1").rc());
        Out[] results = new Out[2];
        String[] reports = new String[2];
        for (int i = 0; i < 2; i++) {
            BiFunction<String, String, Out> client = i == 0 ? this::virsh : this::jvirsh;
            CompletableFuture<Out> migration = CompletableFuture.supplyAsync(() -> client.apply(uriA, "migrate --live --verbose tick " + uriB));
            reports[i] = awaitRunning(client, uriA, migration);
            Thread.sleep(1500); // a progress line or more
            // the other client aborts: whichever runs the migration, the abort comes from elsewhere
            BiFunction<String, String, Out> other = i == 0 ? this::jvirsh : this::virsh;
            Out abort = other.apply(uriA, "domjobabort tick");
            assertEquals(new Out(0, "\n", ""), abort);
            results[i] = migration.get(60, TimeUnit.SECONDS);
            Out r = results[i];
            assertEquals(1, r.rc());
            assertEquals("\n", r.out());
            assertTrue(r.err().endsWith("error: operation aborted: migration out job: canceled by client\n"), r.err());
            List<Integer> p = r.progress();
            assertTrue(!p.isEmpty() && p.get(p.size() - 1) < 100, "virsh --verbose printed the migration's progress: " + r.err());
            assertEquals("running (booted)\n\n", state(uriA), "the source runs on");
            assertEquals("", jvirsh(uriB, "list --all --name").out().trim(), "nothing left on the destination");
        }
        assertEquals(results[0].err().replaceAll(PROGRESS.pattern(), ""), results[1].err().replaceAll(PROGRESS.pattern(), ""));
        assertEquals(mask(reports[0]), mask(reports[1]));
        Matcher m = Pattern.compile("Job type:         Unbounded   \nOperation:        Outgoing migration\nTime elapsed:     \\d+ +ms\n"
                + "Data processed:   [0-9.]+ [KMG]?i?B\nData remaining:   [0-9.]+ [KMG]?i?B\nData total:       64\\.000 MiB\n"
                + "Memory processed: [0-9.]+ [KMG]?i?B\nMemory remaining: [0-9.]+ [KMG]?i?B\nMemory total:     64\\.000 MiB\n"
                + "Memory bandwidth: [0-9.]+ [KMG]?i?B/s\nPage size:        4096         bytes\nIteration:        \\d+ *\n"
                + "Constant pages:   \\d+ *\nNormal pages:     \\d+ *\nNormal data:      [0-9.]+ [KMG]?i?B\n\n").matcher(reports[1]);
        assertTrue(m.matches(), reports[1]);
    }

    @Test
    void timeoutSuspendEndsAMigrationThatDoesNotConverge() throws Exception {
        start();
        assertEquals(0, jvirsh(uriA, "migrate-setspeed tick 1").rc());
        // at 1 MiB/s the ticker's dirty pages never fit the 300 ms downtime: only the suspend lets it end
        long t0 = System.nanoTime();
        Out v = virsh(uriA, "migrate --live --timeout 3 --timeout-suspend tick " + uriB);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertMigrated(v, false);
        assertTrue(ms >= 3000 && ms < 60_000, "it ran past the timeout, then ended: " + ms + " ms");
        assertEquals("running (migrated)\n\n", state(uriB), "suspended on the source, running on the destination");
        assertEquals(0, jvirsh(uriB, "migrate-setspeed tick 1").rc());
        t0 = System.nanoTime();
        Out j = jvirsh(uriB, "migrate --live --timeout 3 --timeout-suspend tick " + uriA);
        ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(v, j);
        assertTrue(ms >= 3000 && ms < 60_000, "it ran past the timeout, then ended: " + ms + " ms");
        assertEquals("running (migrated)\n\n", state(uriA));
    }
}
