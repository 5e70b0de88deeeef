package org.jvirt.daemon.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DaemonOptionsTest {
    private static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");

    private static DaemonOptions.Parsed parse(String... args) {
        return DaemonOptions.parse(List.of(args), true, Map.of(), "9.0.0");
    }

    private static DaemonOptions run(String... args) {
        DaemonOptions.Parsed p = parse(args);
        assertInstanceOf(DaemonOptions.Run.class, p, String.valueOf(p));
        return ((DaemonOptions.Run) p).options();
    }

    @Test
    void optionsAreReadAsGetoptReadsThem() {
        DaemonOptions o = run("-dvl", "-t5", "--config=/c.conf", "--pid", "/p.pid", "--root", "/r");
        assertTrue(o.daemon());
        assertTrue(o.verbose());
        assertTrue(o.listen());
        assertEquals(5, o.timeout());
        assertEquals(Path.of("/c.conf"), o.config());
        assertEquals(Path.of("/p.pid"), o.pidFile());
        assertEquals(Path.of("/r"), o.root());
        assertEquals(Path.of("/r/run/libvirt"), o.paths(true, Map.of()).unixSockDir());
        DaemonOptions d = run();
        assertFalse(d.listen());
        assertEquals(-1, d.timeout());
        assertNull(d.config());
        assertNull(d.root());
        assertEquals(0, run("-t", "0").timeout());
        assertEquals(5, run("-t", " 5x").timeout());
        assertEquals(2147483, run("--timeout", "2147483").timeout());
        assertEquals(Path.of("-v"), run("-f", "-v").config()); // a value may start with '-'
        assertEquals(Path.of("/x"), run("--r", "/x").root()); // unambiguous prefix
    }

    @Test
    void helpAndVersionAreLibvirtdsNamingJvirtd() {
        DaemonOptions.Exit v = (DaemonOptions.Exit) parse("--version");
        assertEquals(new DaemonOptions.Exit(0, "jvirtd (jvirt) 9.0.0\n", ""), v);
        DaemonOptions.Exit h = (DaemonOptions.Exit) parse("--root", "/srv/j", "-h");
        assertEquals(0, h.status());
        assertEquals("", h.stdout());
        assertTrue(h.stderr().startsWith("\nUsage:\n  jvirtd [options]\n\nOptions:\n  -h | --help            Display program help\n"),
                h.stderr());
        assertTrue(h.stderr().contains("       --root <dir>      "), h.stderr());
        assertTrue(h.stderr().contains("\njvirt management daemon:\n\n  Default paths:\n"), h.stderr());
        assertTrue(h.stderr().contains("      /srv/j/run/libvirt/libvirt-sock\n      /srv/j/run/libvirt/libvirt-sock-ro\n"), h.stderr());
        assertTrue(h.stderr().contains("      CA certificate: /srv/j/etc/pki/CA/cacert.pem\n"), h.stderr());
        DaemonOptions.Exit sys = (DaemonOptions.Exit) parse("-h");
        assertTrue(sys.stderr().contains("      Server private key: /etc/pki/libvirt/private/serverkey.pem\n"), sys.stderr());
        DaemonOptions.Exit session = (DaemonOptions.Exit) DaemonOptions.parse(List.of("-h"), false, Map.of(), "9.0.0");
        assertTrue(session.stderr().contains("      $XDG_RUNTIME_DIR/libvirt/libvirt-sock\n"), session.stderr());
    }

    /** Argument lists that libvirtd answers without starting (help, version, refusals). */
    private static final String[][] CASES = {
        {"--bogus"}, {"--bogus=1"}, {"-x"}, {"-dvlx"}, {"-t"}, {"--config"}, {"--conf"}, {"--pid"}, {"--ver"},
        {"--verbose=1"}, {"--help=x"}, {"-t", "abc"}, {"-t", "-5"}, {"-t", ""}, {"-t", "2147484"},
        {"-t", "99999999999"}, {"--timeout=abc"}, {"extra"}, {"--", "extra"}, {"-t5x", "extra"}, {"-h"}, {"--help"},
        {"--he"}, {"-V"}, {"--version"}, {"-vV"}, {"extra", "-V"}, {"-V", "--bogus"}, {"--bogus", "-V"}, {"-h", "-V"},
        {"-t", "abc", "--bogus"}, {"--bogus", "-t", "abc"}, {"-"},
    };

    /** libvirtd's answer reduced to what jvirtd must share: status, stdout, first stderr line, usage or not. */
    private static String gist(int status, String stdout, String stderr, String name) {
        String first = stderr.startsWith("\n") ? "<usage>" : stderr.lines().filter(l -> !l.contains(": info : ")).findFirst().orElse("");
        first = first.replaceAll("^\\S+ \\S+: \\d+: error : (main:\\d+ : )?", "<log> error : ");
        boolean usage = stderr.contains("\nUsage:\n  " + name + " [options]\n");
        return "status=" + status + " stdout=" + stdout.replace(name + " (" + (name.equals("jvirtd") ? "jvirt" : "libvirt") + ")", "NAME")
                + " stderr=" + first.replace(name + ":", "NAME:") + " usage=" + usage;
    }

    @Test
    void refusalsHelpAndVersionMatchTheRealLibvirtd() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(LIBVIRTD), "skipped: no real libvirtd (Debian's libvirt-daemon)");
        List<String> diffs = new ArrayList<>();
        for (String[] c : CASES) {
            DaemonOptions.Parsed p = parse(c);
            assertInstanceOf(DaemonOptions.Exit.class, p, String.join(" ", c));
            DaemonOptions.Exit ours = (DaemonOptions.Exit) p;
            // by its name, found on PATH, so that its messages start with "libvirtd:" as ours with "jvirtd:"
            List<String> cmd = new ArrayList<>(List.of("libvirtd"));
            cmd.addAll(List.of(c));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("PATH", LIBVIRTD.getParent() + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
            Process proc = pb.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            });
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(20, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                fail("libvirtd did not exit for " + String.join(" ", c));
            }
            String theirs = gist(proc.exitValue(), out.replace("9.0.0", "V"), err.get(), "libvirtd");
            String mine = gist(ours.status(), ours.stdout().replace("9.0.0", "V"), ours.stderr(), "jvirtd");
            if (!theirs.equals(mine)) diffs.add(String.join(" ", c) + "\n  libvirtd: " + theirs + "\n  jvirtd:   " + mine);
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }
}
