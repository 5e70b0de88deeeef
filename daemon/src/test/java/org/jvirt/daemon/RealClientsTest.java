package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jvirt.rpc.testing.RealLibvirtd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients other than virsh's one-shot commands, against jvirtd and the real libvirtd in
 * the same test: libvirt-python's scenario (with a lifecycle callback), and `virsh event
 * --loop` seeing the changes another client makes.
 */
class RealClientsTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    @TempDir static Path tmp;
    static TestDaemon jvirtd;
    static RealLibvirtd libvirtd;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RealLibvirtd.available(), "the real libvirtd (libvirt-daemon) is not installed");
        jvirtd = new TestDaemon(Files.createDirectories(tmp.resolve("jvirtd")));
        libvirtd = RealLibvirtd.start();
    }

    @AfterAll
    static void stop() {
        if (jvirtd != null) jvirtd.close();
        if (libvirtd != null) libvirtd.close();
    }

    private static String run(long seconds, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return out;
    }

    private static boolean pythonLibvirt() throws Exception {
        if (!Files.isExecutable(PYTHON)) return false;
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import libvirt").start();
        return p.waitFor() == 0;
    }

    @Test
    void libvirtPythonRunsTheSameScenario() throws Exception {
        assumeTrue(pythonLibvirt(), "libvirt-python (Debian's python3-libvirt) is not installed");
        Path script = tmp.resolve("scenario.py");
        try (var in = getClass().getResourceAsStream("/libvirt-python-scenario.py")) {
            Files.copy(in, script);
        }
        String theirs = run(60, PYTHON.toString(), script.toString(), "test+tcp://127.0.0.1:" + libvirtd.tcpPort() + "/default");
        String ours = run(60, PYTHON.toString(), script.toString(), "test+tcp://127.0.0.1:" + jvirtd.tcpPort() + "/default");
        assertTrue(theirs.contains("state paused: [3, 1]"), theirs);
        assertTrue(theirs.contains("events: [('pyref'"), theirs);
        assertEquals(theirs, ours);
    }

    @Test
    void virshEventLoopSeesAnotherClientsChanges() throws Exception {
        assumeTrue(Virsh.available(), "the real virsh (libvirt-clients) is not installed");
        String theirs = eventsSeen("test+tcp://127.0.0.1:" + libvirtd.tcpPort() + "/default");
        String ours = eventsSeen("test+tcp://127.0.0.1:" + jvirtd.tcpPort() + "/default");
        assertTrue(theirs.contains("event 'lifecycle' for domain 'test': Suspended Paused"), theirs);
        assertEquals(theirs, ours);
    }

    /** virsh event --all --loop in the background while another virsh suspends and resumes test. */
    private static String eventsSeen(String uri) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Virsh.BINARY.toString(), "-c", uri, "event", "--all", "--loop", "--timeout", "4")
                .redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process watcher = pb.start();
        Thread.sleep(1000); // registered by then (virsh connects in a few ms)
        Virsh.Result r = Virsh.run(uri, "suspend test; resume test");
        assertEquals(0, r.exit(), r.all());
        String out = new String(watcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(watcher.waitFor(20, TimeUnit.SECONDS));
        return out;
    }
}
