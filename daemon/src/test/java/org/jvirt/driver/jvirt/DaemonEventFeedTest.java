package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local connection to a state root that a jvirtd serves takes its lifecycle events from the
 * daemon (no watcher of its own), and watches by itself once the daemon is gone: stopped
 * cleanly (announcement withdrawn) or killed with -9 (announcement left, its process dead).
 */
class DaemonEventFeedTest {
    @TempDir Path tmp;

    private static Process jvirtd(Path root) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.jvirt.daemon.Jvirtd", "--root", root.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve("jvirtd.out").toFile()).start();
        Path announced = JvirtPaths.embed(root).runDir().resolve(DaemonPresence.FILE);
        for (int i = 0; i < 400 && !Files.exists(announced); i++) {
            assertTrue(p.isAlive(), () -> "jvirtd exited: " + read(root.resolve("jvirtd.out")));
            Thread.sleep(50);
        }
        assertTrue(Files.exists(announced), "jvirtd did not announce itself in " + announced);
        return p;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals("jvirt-events")).count();
    }

    /** Registers for c's lifecycle events, each queued as "NAME TYPE DETAIL". */
    private static void listen(Connect c, BlockingQueue<String> events) throws org.jvirt.driver.api.LibvirtException {
        c.addLifecycleListener((dom, ev) -> {
            events.add(dom.getName() + " " + ev.type() + " " + ev.detail());
            return 0;
        });
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no lifecycle event within 10 s");
        return e;
    }

    @Test
    void eventsComeFromTheDaemonWhileItServesTheRootAndFromOwnWatchingAfter() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        String uri = "jvirt:///embed?root=" + root;
        String xml = JvirtTestSupport.domainXml("feed", "ticker");
        Process daemon = jvirtd(root);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Connect listening = new Connect(uri);
        Connect other = new Connect(uri);
        try {
            long before = watcherThreads();
            listen(listening, events);
            assertEquals(before, watcherThreads(), "the connection started a watcher of its own beside the daemon");

            Domain d = other.domainDefineXML(xml);
            assertEquals("feed DEFINED 0", next(events));

            daemon.destroy(); // SIGTERM: a clean stop withdraws the announcement
            assertTrue(daemon.waitFor(20, TimeUnit.SECONDS));
            assertFalse(Files.exists(JvirtPaths.embed(root).runDir().resolve(DaemonPresence.FILE)));
            for (int i = 0; i < 100 && watcherThreads() == before; i++) Thread.sleep(50);
            assertEquals(before + 1, watcherThreads(), "the connection did not watch by itself after the daemon left");
            d.undefine();
            assertEquals("feed UNDEFINED 0", next(events));
        } finally {
            listening.close();
            other.close();
            daemon.destroyForcibly().waitFor();
        }
    }

    @Test
    void aKilledDaemonsAnnouncementIsIgnored() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        String uri = "jvirt:///embed?root=" + root;
        Process daemon = jvirtd(root);
        daemon.destroyForcibly().waitFor();
        assertTrue(Files.exists(JvirtPaths.embed(root).runDir().resolve(DaemonPresence.FILE)), "kill -9 cannot withdraw");
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Connect listening = new Connect(uri);
        Connect other = new Connect(uri);
        try {
            long before = watcherThreads();
            listen(listening, events);
            assertEquals(before + 1, watcherThreads());
            Domain d = other.domainDefineXML(JvirtTestSupport.domainXml("stale", "ticker"));
            assertEquals("stale DEFINED 0", next(events));
            d.undefine();
            assertEquals("stale UNDEFINED 0", next(events));
        } finally {
            listening.close();
            other.close();
        }
    }
}
