package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;

/**
 * jvirtd "hosts" in the test's JVM for the migration tests: each a daemon on its own state root
 * with plain TCP on a free loopback port; the real virsh against them; the guest's ticks read on
 * its console through the daemon.
 */
final class LoopbackDaemons {
    private LoopbackDaemons() { }

    static final Pattern TICK = Pattern.compile("tick (\\d+)");

    /** What virsh printed (stdout and stderr together) and its exit status. */
    record VirshResult(int status, String out) { }

    /** A started jvirtd serving root, its unix sockets in runDir. */
    static DaemonServer start(Path root, Path runDir) throws Exception {
        DaemonServer d = new DaemonServer(new ServerSettings(root, runDir, PosixFilePermissions.fromString("rwx------"),
                PosixFilePermissions.fromString("rwxrwxrwx"), null, "127.0.0.1", 0, -1, null, null, 5000, 20, 5, 5));
        d.start();
        return d;
    }

    /** The URI the real virsh and jvirt's client reach d's system driver with. */
    static String uri(DaemonServer d) {
        return "qemu+tcp://127.0.0.1:" + d.tcpPort() + "/system";
    }

    static VirshResult run(String uri, String cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/virsh", "-c", uri, cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        return new VirshResult(p.exitValue(), out);
    }

    static String virsh(String uri, String cmd) throws Exception {
        return run(uri, cmd).out();
    }

    /** The highest tick the guest printed on its console (read through the daemon for a few seconds). */
    static int lastTick(String uri, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("timeout", String.valueOf(3 * JvirtTestSupport.waitScale()), "script", "-qfec",
                "/usr/bin/virsh -c '" + uri + "' console " + name, "/dev/null").redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        Matcher m = TICK.matcher(out);
        int last = -1;
        while (m.find()) last = Math.max(last, Integer.parseInt(m.group(1)));
        return last;
    }

    /** The migration XML keeps the domain's uuid (a new one would be another domain). */
    static String withUuid(String xml, String uuid) {
        return xml.replace("</name>", "</name>\n  <uuid>" + uuid + "</uuid>");
    }
}
