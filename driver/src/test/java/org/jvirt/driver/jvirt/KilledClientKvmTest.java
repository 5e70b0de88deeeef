package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients killed half-way never leave a VMM the store does not know, and one domain never has
 * two VMMs: the VMM's pid file lock, the {@code starting} record written before the spawn and
 * the reconciliation by the next client. The last test kills a client at seeded random points
 * ({@code -Djvirt.killtest.seed=N} repeats a run, {@code -Djvirt.killtest.iterations=N} sets
 * how many kills; the seed is printed). Runs on KVM, or on the emulator without /dev/kvm.
 */
class KilledClientKvmTest {

    private static final String UUID = "6f1c1e52-8d0a-4a57-9b1e-2f9a4c3d7e10";

    @TempDir
    Path root;
    private Path vmm;
    private JvirtPaths paths;
    private String previousVmm;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        vmm = JvirtTestSupport.vmmScript(root);
        paths = JvirtPaths.embed(root);
        previousVmm = System.setProperty("jvirt.vmm", vmm.toString());
    }

    @AfterEach
    void tearDown() {
        if (vmm == null) return;
        for (long pid : processesMentioning(root.toString())) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (previousVmm == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previousVmm);
    }

    private String uri() {
        return "jvirt:///embed?root=" + root;
    }

    private static String xml(String name) {
        return JvirtTestSupport.domainXml(name, "ticker").replace("</name>", "</name>\n  <uuid>" + UUID + "</uuid>");
    }

    @Test
    void aSecondVmmForARunningDomainCannotStartAndTheFirstRunsOn() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml("tick"));
        d.create();
        Path pidFile = paths.pidFile("tick");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        List<String> cmdline = cmdline(pid);
        assertTrue(cmdline.contains("--pidfile"), cmdline.toString());
        // the very same command line again: a second VMM for the domain
        Process second = new ProcessBuilder(cmdline).redirectErrorStream(true).start();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, second.exitValue(), out);
        assertEquals("jvirt-vmm: " + pidFile + " is locked by another jvirt-vmm (pid " + pid + "): this VM is already running\n", out);
        assertEquals(List.of(pid), vmmProcesses("tick"));
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
        d.suspend(); // its control socket is still the first VMM's
        d.resume();
        assertEquals(pid, Long.parseLong(Files.readString(pidFile).trim()));
        d.destroy();
        assertEquals(List.of(), vmmProcesses("tick"));
    }

    @Test
    void startReportsAVmmThatLostTheRaceForTheDomainsLock() throws Exception {
        // a jvirt-vmm wrapper that lets another process take the pid file lock just before the VMM runs
        Path holderOut = root.resolve("holder.out");
        Path racing = root.resolve("racing-vmm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(racing, "#!/bin/sh\npidfile=; prev=\nfor a in \"$@\"; do [ \"$prev\" = --pidfile ] && pidfile=$a; prev=$a; done\n"
                + java + " -cp '" + System.getProperty("java.class.path") + "' " + PidLockHolder.class.getName()
                + " \"$pidfile\" > " + holderOut + " &\n"
                + "while ! grep -q locked " + holderOut + " 2>/dev/null; do sleep 0.05; done\nexec " + vmm + " \"$@\"\n");
        racing.toFile().setExecutable(true);
        System.setProperty("jvirt.vmm", racing.toString());
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml("race"));
        LibvirtException e = assertThrows(LibvirtException.class, d::create);
        long holder = Long.parseLong(Files.readString(holderOut).trim().substring("locked ".length()));
        assertEquals("internal error: process exited while connecting to monitor: jvirt-vmm: " + paths.pidFile("race")
                + " is locked by another jvirt-vmm (pid " + holder + "): this VM is already running", e.getMessage());
        ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
        System.setProperty("jvirt.vmm", vmm.toString());
        long end = System.nanoTime() + 10_000_000_000L;
        while (VmmPidFile.held(paths.pidFile("race")) && System.nanoTime() < end) Thread.sleep(20);
        d = new Connect(uri()).domainLookupByName("race"); // a client with the plain jvirt-vmm
        assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getInfo().state);
        d.create();
        assertEquals(1, vmmProcesses("race").size());
        d.destroy();
    }

    @Test
    void aVmmTheStoreDoesNotKnowIsAdoptedAndDestroyStopsIt() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml("stray"));
        Files.createDirectories(paths.runDir());
        // a VMM holding the domain's pid file lock with no status recorded (e.g. its status file was lost)
        Process stray = new ProcessBuilder(List.of(vmm.toString(), "--accel", JvirtTestSupport.accel(), "--name", "stray", "--kernel",
                JvirtTestSupport.GUESTS.resolve("ticker.elf").toString(), "--memory", "64M", "--serial", "pty",
                "--control", paths.monitor("stray").toString(), "--pidfile", paths.pidFile("stray").toString(),
                "--exit-file", paths.exitFile("stray").toString()))
                .redirectErrorStream(true).redirectOutput(root.resolve("stray.out").toFile()).start();
        long end = System.nanoTime() + 30_000_000_000L;
        while (!VmmPidFile.held(paths.pidFile("stray")) && System.nanoTime() < end) Thread.sleep(20);
        assertTrue(VmmPidFile.held(paths.pidFile("stray")), "the stray VMM never took its lock");

        Domain seen = new Connect(uri()).domainLookupByName("stray");
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, seen.getInfo().state, "a domain never reads shut off while its VMM runs");
        assertTrue(seen.getID() > 0);
        assertTrue(seen.getXMLDesc(0).contains("<source path='/dev/pts/"), seen.getXMLDesc(0));
        LibvirtException again = assertThrows(LibvirtException.class, d::create);
        assertEquals(ErrorNumber.VIR_ERR_OPERATION_INVALID, again.code());
        assertEquals(List.of(stray.pid()), vmmProcesses("stray"), "start added no second VMM");
        d.destroy();
        assertTrue(stray.waitFor(10, TimeUnit.SECONDS), "destroy stops the VMM that holds the domain's lock");
        assertEquals(DomainStateReason.shutoff(ShutoffReason.DESTROYED), d.getState());
        d.create();
        assertEquals(1, vmmProcesses("stray").size());
        d.destroy();
    }

    @Test
    void aStartWhoseClientDiedBeforeTheVmmRanIsCancelledForGood() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml("half"));
        // what a client killed between recording the start and spawning the VMM leaves
        Files.createDirectories(paths.runDir());
        String live = LiveXml.of(new DomainStore(paths).load("half").config(), 7, null, "pty");
        AtomicFiles.write(paths.status("half"), DomainStatus.starting(7, paths.monitor("half").toString(), "pty", null, true, live).format());
        String token = VmmPidFile.prepare(paths.pidFile("half"));

        Connect fresh = new Connect(uri());
        assertEquals(DomainStateReason.shutoff(ShutoffReason.FAILED), fresh.domainLookupByName("half").getState());
        assertFalse(Files.exists(paths.status("half")));
        // the VMM of that start, had it been spawned late, can no longer run
        Process late = new ProcessBuilder(List.of(vmm.toString(), "--accel", JvirtTestSupport.accel(), "--name", "half", "--kernel",
                JvirtTestSupport.GUESTS.resolve("ticker.elf").toString(), "--memory", "64M", "--serial", "pty",
                "--control", paths.monitor("half").toString(), "--pidfile", paths.pidFile("half").toString(),
                "--start-token", token, "--exit-file", paths.exitFile("half").toString())).redirectErrorStream(true).start();
        assertTrue(late.waitFor(30, TimeUnit.SECONDS));
        String out = new String(late.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, late.exitValue(), out);
        assertTrue(out.startsWith("jvirt-vmm: start cancelled: "), out);
        assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getInfo().state);
        d.create();
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
        d.destroy();
        assertEquals(List.of(), vmmProcesses("half"));
    }

    @Test
    void aStartWhoseClientDiedAfterTheSpawnIsAdopted() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml("orphan"));
        // what a client killed while its VMM was coming up leaves: the record, the token, the VMM
        Files.createDirectories(paths.runDir());
        String live = LiveXml.of(new DomainStore(paths).load("orphan").config(), 9, null, "pty");
        AtomicFiles.write(paths.status("orphan"), DomainStatus.starting(9, paths.monitor("orphan").toString(), "pty", null, true, live).format());
        String token = VmmPidFile.prepare(paths.pidFile("orphan"));
        Process vmmProcess = new ProcessBuilder(List.of(vmm.toString(), "--accel", JvirtTestSupport.accel(), "--name", "orphan", "--kernel",
                JvirtTestSupport.GUESTS.resolve("ticker.elf").toString(), "--memory", "64M", "--serial", "pty",
                "--control", paths.monitor("orphan").toString(), "--pidfile", paths.pidFile("orphan").toString(),
                "--start-token", token, "--exit-file", paths.exitFile("orphan").toString()))
                .redirectErrorStream(true).redirectOutput(root.resolve("orphan.out").toFile()).start();

        long end = System.nanoTime() + 30_000_000_000L; // (a client coming before the lock is taken cancels the start)
        while (!VmmPidFile.held(paths.pidFile("orphan")) && System.nanoTime() < end) Thread.sleep(10);
        Domain seen = new Connect(uri()).domainLookupByName("orphan"); // waits for the VMM to answer
        assertEquals(DomainStateReason.running(org.jvirt.driver.api.DomainStateReason.RunningReason.BOOTED), seen.getState());
        assertEquals(9, seen.getID(), "the id recorded before the spawn");
        assertTrue(seen.getXMLDesc(0).contains("<source path='/dev/pts/"), seen.getXMLDesc(0));
        assertEquals(vmmProcess.pid(), Long.parseLong(Files.readString(paths.pidFile("orphan")).trim()));
        assertEquals(List.of(vmmProcess.pid()), vmmProcesses("orphan"));
        d.destroy();
        assertTrue(vmmProcess.waitFor(10, TimeUnit.SECONDS));
        assertEquals(DomainStateReason.shutoff(ShutoffReason.DESTROYED), d.getState());
    }

    @Test
    void clientsKilledAtRandomPointsNeverLeaveAnUnknownOrASecondVmm() throws Exception {
        long seed = Long.getLong("jvirt.killtest.seed", System.nanoTime() % 1_000_000);
        int iterations = Integer.getInteger("jvirt.killtest.iterations", 4);
        System.out.println("KilledClientKvmTest: -Djvirt.killtest.seed=" + seed + " -Djvirt.killtest.iterations=" + iterations);
        Random random = new Random(seed);
        Path xmlFile = root.resolve("k.xml");
        Files.writeString(xmlFile, xml("k"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < iterations; i++) {
            int delay = random.nextInt(2500);
            Process client = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-Djvirt.vmm=" + vmm,
                    "-cp", System.getProperty("java.class.path"), KillTestClient.class.getName(), uri(), xmlFile.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            AtomicReference<String> step = new AtomicReference<>("(not connected)");
            BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", r.readLine());
            Thread steps = new Thread(() -> {
                try {
                    for (String l; (l = r.readLine()) != null; ) step.set(l);
                } catch (IOException e) {
                    // killed
                }
            });
            steps.start();
            Thread.sleep(delay);
            JvirtTestSupport.kill9(client);
            steps.join(5000);
            String where = "seed " + seed + ", kill " + (i + 1) + " after " + delay + " ms, during '" + step.get() + "'";
            System.out.println("KilledClientKvmTest: " + where);
            checkConsistent(where);
        }
    }

    /** From a fresh client: the state and the VMM processes agree, and start/destroy work. */
    private void checkConsistent(String where) throws Exception {
        Connect c = new Connect(uri());
        Domain d;
        try {
            d = c.domainLookupByName("k");
        } catch (LibvirtException e) {
            assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, e.code(), where);
            assertEquals(List.of(), awaitVmms("k", 0), where + ": a VMM for an undefined domain");
            d = c.domainDefineXML(xml("k"));
        }
        DomainState state = d.getInfo().state;
        boolean runs = state == DomainState.VIR_DOMAIN_RUNNING || state == DomainState.VIR_DOMAIN_PAUSED;
        // a VMM of a start given up on exits by itself once it gets the lock: allow it the time
        List<Long> vmms = awaitVmms("k", runs ? 1 : 0);
        assertEquals(runs ? 1 : 0, vmms.size(), where + ": state " + state + " with VMM processes " + vmms);
        assertEquals(state, d.getInfo().state, where + ": the state changed while waiting");
        assertEquals(runs, VmmPidFile.held(paths.pidFile("k")), where + ": the pid file lock");
        if (runs) {
            String status = Files.readString(paths.status("k"));
            assertTrue(status.contains(" pid='" + vmms.get(0) + "'"), where + ": the status names another pid:\n" + status);
            try {
                d.destroy();
            } catch (LibvirtException e) {
                // a client killed during destroy may have asked the VMM to quit already: it can end by itself
                // between the checks above and this destroy, which then answers as libvirt's for a domain
                // that stopped meanwhile; the domain must then read shut off with no VMM left
                assertEquals(ErrorNumber.VIR_ERR_OPERATION_INVALID, e.code(), where + ": " + e.getMessage());
                assertTrue(where.contains("during 'destroy'"), where + ": the VMM ended by itself: " + e.getMessage());
                assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getInfo().state, where);
            }
            assertEquals(List.of(), awaitVmms("k", 0), where + ": destroy left a VMM");
        }
        d.create();
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state, where);
        assertEquals(1, awaitVmms("k", 1).size(), where);
        d.destroy();
        assertEquals(List.of(), awaitVmms("k", 0), where + ": destroy left a VMM");
        assertEquals(DomainStateReason.shutoff(ShutoffReason.DESTROYED), d.getState(), where);
    }

    /** The VMM processes of domain NAME once their number is WANT, or as they are after 15 s. */
    private List<Long> awaitVmms(String name, int want) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        List<Long> v;
        while ((v = vmmProcesses(name)).size() != want && System.nanoTime() < end) Thread.sleep(50);
        return v;
    }

    /** Live processes whose command line names the domain's pid file: its VMMs (and ones about to exec into a VMM). */
    private List<Long> vmmProcesses(String name) {
        return processesMentioning(paths.pidFile(name).toString());
    }

    private static List<Long> processesMentioning(String text) {
        List<Long> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit) || Long.parseLong(n) == self) continue;
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains(text) && !ProcStat.zombie(Long.parseLong(n))) out.add(Long.parseLong(n));
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static List<String> cmdline(long pid) throws IOException {
        String s = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        return List.of(s.split("\0"));
    }
}
