package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real virsh drives a real jvirt guest through jvirtd (qemu+unix:///system on a --root
 * daemon): define, start, dominfo, the console as a stream (the guest's ticks reach virsh),
 * suspend, resume, save, restore; then the daemon stops, the guest runs on, and a new daemon on
 * the same root serves it (console included) until destroy and undefine. On KVM where usable,
 * else the emulator.
 */
class JvirtdGuestTest {
    @TempDir Path tmp;

    private static String virsh(String uri, String cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/virsh", "-c", uri, cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out;
    }

    /** virsh console under script(1) (it needs a terminal) for a few seconds. */
    private static String console(String uri, String dom, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("timeout", String.valueOf(seconds), "script", "-qfec",
                "/usr/bin/virsh -c '" + uri + "' console " + dom, "/dev/null").redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(seconds + 10L, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void realVirshRunsAJvirtGuestThroughTheDaemon() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed");
        Path root = Files.createDirectories(tmp.resolve("root"));
        try (TickerEmbed t = TickerEmbed.open(root, "the guest through jvirtd")) {
            run(root);
        }
    }

    /** A daemon serving ROOT as its system driver on unix sockets under tmp/run. */
    private DaemonServer daemon(Path root) {
        return new DaemonServer(new ServerSettings(root, tmp.resolve("run"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"), null, "127.0.0.1", -1, -1, null, null, 5000, 20, 5, 5));
    }

    private void run(Path root) throws Exception {
        try (DaemonServer d = daemon(root)) {
            d.start();
            String uri = "qemu+unix:///system?socket=" + tmp.resolve("run").resolve(DaemonServer.RW_SOCKET);
            Path xml = tmp.resolve("tick.xml");
            Files.writeString(xml, JvirtTestSupport.domainXml("tick", "ticker"));
            assertEquals("Domain 'tick' defined from " + xml + "\n\n", virsh(uri, "define " + xml));
            assertEquals("Domain 'tick' started\n\n", virsh(uri, "start tick"));
            String info = virsh(uri, "dominfo tick");
            assertTrue(info.contains("State:          running"), info);
            assertTrue(info.contains("Max memory:     65536 KiB"), info);
            String console = console(uri, "tick", 5 * (int) JvirtTestSupport.waitScale());
            assertTrue(console.contains("Connected to domain 'tick'"), console);
            assertTrue(console.matches("(?s).*tick \\d+.*"), "the guest's ticks reach virsh through the stream: " + console);
            assertEquals("Domain 'tick' suspended\n\n", virsh(uri, "suspend tick"));
            assertEquals("paused (user)\n\n", virsh(uri, "domstate tick --reason"));
            assertEquals("Domain 'tick' resumed\n\n", virsh(uri, "resume tick"));
            Path save = tmp.resolve("tick.save");
            assertEquals("\nDomain 'tick' saved to " + save + "\n\n", virsh(uri, "save tick " + save));
            assertEquals("shut off (saved)\n\n", virsh(uri, "domstate tick --reason"));
            assertEquals("Domain restored from " + save + "\n\n", virsh(uri, "restore " + save));
            assertEquals("running (restored)\n\n", virsh(uri, "domstate tick --reason"));
        }
        // the daemon stops: the guest runs on in its VMM; a new daemon on the same root serves it
        try (DaemonServer d = daemon(root)) {
            d.start();
            String uri = "qemu+unix:///system?socket=" + tmp.resolve("run").resolve(DaemonServer.RW_SOCKET);
            assertEquals("running (restored)\n\n", virsh(uri, "domstate tick --reason"));
            String console = console(uri, "tick", 5 * (int) JvirtTestSupport.waitScale());
            assertTrue(console.matches("(?s).*tick \\d+.*"), "the guest still ticks: " + console);
            assertEquals("Domain 'tick' destroyed\n\n", virsh(uri, "destroy tick"));
            assertEquals("Domain 'tick' has been undefined\n\n", virsh(uri, "undefine tick"));
            assertEquals(" Id   Name   State\n--------------------\n\n", virsh(uri, "list --all"));
        }
    }
}
