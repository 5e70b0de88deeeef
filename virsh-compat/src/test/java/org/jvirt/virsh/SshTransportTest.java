package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.testing.PrivateSshd;

/**
 * The ssh transport end to end with real OpenSSH (issue 10): a private sshd on 127.0.0.1 and a
 * jvirtd on a temp root; jvirt's Java API, jvirsh and the real virsh 9.0 reach the daemon as
 * {@code jvirt+ssh://} and {@code qemu+ssh://root@127.0.0.1:PORT/system?socket=...}, i.e. ssh
 * logs in and runs nc -U on the daemon's socket on the far side. Checked: the same results as
 * over jvirt+unix://, jvirsh's output byte for byte against virsh's on the same URIs, the very
 * argument list each gives ssh, read-only connections refused changes, and ssh's failures (a
 * key the server refuses, a refused port, an unknown host key, a missing ssh) in virsh's words.
 */
class SshTransportTest {
    private static final Path VIRSH = Path.of("/usr/bin/virsh");
    /** libvirt's own log lines, which the real virsh prints for some internal warnings (not errors). */
    private static final String LIBVIRT_LOG_LINE = "(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+\\d{4}: \\d+: \\w+ : .*\n";
    private static final String UUID = "3f5c2b1e-8d4a-4c6e-9b7f-2a1d0e9c8b7a";
    private static final String XML = "<domain type='qemu'>\n  <name>sshdom</name>\n  <uuid>" + UUID + "</uuid>\n"
            + "  <memory unit='MiB'>64</memory>\n  <vcpu>2</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n  </os>\n</domain>\n";

    private static Path work;
    private static PrivateSshd sshd;
    private static DaemonServer daemon;
    private static Path rw;
    private static Path ro;

    record Out(int rc, String out, String err) { }

    @BeforeAll
    static void start() throws Exception {
        String missing = PrivateSshd.unavailable();
        assumeTrue(missing == null, missing);
        // a short directory: the daemon's sockets live under it (sun_path is 108 bytes)
        work = Files.createTempDirectory(Path.of("/tmp"), "jssh");
        sshd = new PrivateSshd(Files.createDirectories(work.resolve("ssh")));
        Path run = Files.createDirectories(work.resolve("run"));
        daemon = new DaemonServer(new ServerSettings(Files.createDirectories(work.resolve("root")), run,
                PosixFilePermissions.fromString("rwx------"), PosixFilePermissions.fromString("rwxrwxrwx"), null, "127.0.0.1", -1, -1,
                null, null, 5000, 20, 5, 5));
        daemon.start();
        rw = run.resolve(DaemonServer.RW_SOCKET);
        ro = run.resolve(DaemonServer.RO_SOCKET);
        Files.writeString(work.resolve("d.xml"), XML);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (daemon != null) daemon.close();
        } finally {
            if (sshd != null) sshd.close();
            if (work != null) {
                try (Stream<Path> all = Files.walk(work)) {
                    for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        }
    }

    /** An ssh URI to the private sshd: scheme, the daemon's socket, then more parameters. */
    private static String sshUri(String scheme, Path socket, String more) {
        return scheme + "+ssh://root@127.0.0.1:" + sshd.port + "/system?socket=" + socket + more;
    }

    /** The usual client parameters: the authorised key, host key checks off, the logging wrapper. */
    private static String login(Path wrapper) {
        return "&keyfile=" + sshd.clientKey + "&no_verify=1&command=" + wrapper;
    }

    private static Out virsh(List<String> options, String line) throws Exception {
        assumeTrue(Files.isExecutable(VIRSH), "the real virsh (libvirt-clients) is not installed");
        List<String> cmd = new ArrayList<>(List.of(VIRSH.toString()));
        cmd.addAll(options);
        cmd.add(line);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LIBVIRT_DEFAULT_URI");
        Path errFile = Files.createTempFile(work, "virsh", ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "virsh " + line);
        String err = Files.readString(errFile).replaceAll(LIBVIRT_LOG_LINE, "");
        Files.delete(errFile);
        return new Out(p.exitValue(), out, err);
    }

    private static Out jvirsh(List<String> options, String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(options);
        args.add(line);
        int rc = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), work);
        return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The same command line by the real virsh and by jvirsh: equal outputs, and equal argument
     * lists given to ssh. Returns virsh's output.
     */
    private static Out same(List<String> options, String line) throws Exception {
        return same(options, line, null);
    }

    /** As above, with a command run over the unix socket between the two, which restores the state virsh changed. */
    private static Out same(List<String> options, String line, String restore) throws Exception {
        sshd.clearArgv();
        Out v = virsh(options, line);
        List<String> virshArgv = sshd.argv();
        if (restore != null) assertEquals(0, jvirsh(List.of("-c", "jvirt+unix:///system?socket=" + rw), restore).rc(), restore);
        sshd.clearArgv();
        Out j = jvirsh(options, line);
        assertEquals(v, j, "jvirsh " + options + " " + line);
        assertEquals(virshArgv, sshd.argv(), "the arguments ssh got from virsh and from jvirsh");
        return v;
    }

    /** Define, lookup, info, XML, list, undefine through the Java API: what each step answered. */
    private static List<String> scenario(Connect c) throws LibvirtException {
        List<String> seen = new ArrayList<>();
        seen.add(c.getType() + " " + c.getHostName());
        Domain defined = c.domainDefineXML(XML);
        seen.add(defined.getName() + " " + defined.getUUIDString());
        Domain d = c.domainLookupByName("sshdom");
        DomainInfo i = d.getInfo();
        seen.add(i.state + " " + i.maxMem + " " + i.memory + " " + i.nrVirtCpu + " active=" + d.isActive());
        seen.add(d.getXMLDesc(0));
        seen.add(Arrays.toString(c.listDefinedDomains()));
        d.undefine();
        seen.add(Arrays.toString(c.listDefinedDomains()));
        seen.add(assertThrows(LibvirtException.class, () -> c.domainLookupByName("sshdom")).getMessage());
        return seen;
    }

    private static List<String> scenario(String uri) throws Exception {
        Connect c = new Connect(uri);
        try {
            return scenario(c);
        } finally {
            c.close();
        }
    }

    @Test
    void theJavaApiOverSshAnswersAsOverTheUnixSocket() throws Exception {
        List<String> local = scenario("jvirt+unix:///system?socket=" + rw);
        assertTrue(local.get(3).contains("<name>sshdom</name>") && local.get(3).contains(UUID), local.get(3));
        assertEquals("[sshdom]", local.get(4));
        assertEquals("[]", local.get(5));
        for (String scheme : new String[] {"jvirt", "qemu"}) {
            sshd.clearArgv();
            assertEquals(local, scenario(sshUri(scheme, rw, login(sshd.sshKnown))), scheme + "+ssh");
            assertEquals(1, sshd.argv().size(), "one ssh per connection");
        }
        // first contact with an unknown host: no_verify=1 lets ssh accept its key (ssh's warning stays on its stderr)
        assertEquals(local, scenario(sshUri("jvirt", rw, login(sshd.sshFresh))));
    }

    @Test
    void jvirshOverSshPrintsWhatTheRealVirshPrints() throws Exception {
        for (String scheme : new String[] {"qemu", "jvirt"}) {
            List<String> c = List.of("-c", sshUri(scheme, rw, login(sshd.sshKnown)));
            assertEquals(0, same(c, "define d.xml", "undefine sshdom").rc());
            // several commands on one connection (virsh's own separator): one ssh each
            Out shown = same(c, "list --all; dominfo sshdom; domstate --reason sshdom; dumpxml sshdom; domid sshdom; domuuid sshdom; uri; hostname");
            assertTrue(shown.out().contains(" -    sshdom   shut off") && shown.out().contains("<uuid>" + UUID + "</uuid>"), shown.out());
            assertEquals(0, same(c, "undefine sshdom", "define d.xml").rc());
            assertEquals(1, same(c, "dominfo sshdom").rc());
        }
        // no_tty=1 adds BatchMode=yes
        same(List.of("-c", sshUri("qemu", rw, login(sshd.sshKnown) + "&no_tty=1")), "list --all");
    }

    @Test
    void aDroppedSessionFailsTheNextCallWithWhatSshSaid() throws Exception {
        Connect c = new Connect(sshUri("jvirt", rw, login(sshd.sshKnown)));
        try {
            assertEquals(0, c.listDefinedDomains().length);
            sshd.dropSessions();
            // no hang: the read ends with ssh, and libvirt's end-of-file error carries ssh's last words
            LibvirtException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> assertThrows(LibvirtException.class, () -> c.listDefinedDomains()));
            assertTrue(e.getMessage().startsWith("End of file while reading data: ") && e.getMessage().endsWith(": Input/output error")
                    && e.getMessage().contains("closed"), e.getMessage());
        } finally {
            c.close();
        }
    }

    @Test
    void aReadOnlyConnectionOverSshChangesNothing() throws Exception {
        String overRw = sshUri("qemu", rw, login(sshd.sshKnown));
        String overRo = sshUri("qemu", ro, login(sshd.sshKnown));
        for (List<String> c : List.of(List.of("-r", "-c", overRw), List.of("-c", overRo), List.of("-r", "-c", overRo))) {
            Out v = same(c, "define d.xml");
            assertEquals(1, v.rc());
            assertTrue(v.err().contains("error: operation forbidden: read only access prevents virDomainDefineXML\n"), v.err());
            assertEquals(0, same(c, "list --all").rc());
        }
        String refusal = virsh(List.of("-r", "-c", overRw), "define d.xml").err().lines().reduce((a, b) -> b).orElseThrow();
        for (String uri : new String[] {overRw, overRo}) {
            boolean readOnlyOpen = uri.equals(overRw);
            Connect c = new Connect(uri, readOnlyOpen);
            try {
                assertEquals(0, c.listDefinedDomains().length);
                LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainDefineXML(XML));
                assertEquals(refusal, "error: " + e.getMessage());
            } finally {
                c.close();
            }
        }
        Connect admin = new Connect("jvirt+unix:///system?socket=" + rw);
        try {
            assertEquals(0, admin.listDefinedDomains().length, "nothing was defined");
        } finally {
            admin.close();
        }
    }

    @Test
    void sshFailuresAreReportedInVirshsWords() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String socket = "/system?socket=" + rw;
        List<String> uris = List.of(
                // a key the server does not accept (first contact too: ssh's host key warning comes first)
                sshUri("qemu", rw, "&keyfile=" + sshd.strangerKey + "&no_verify=1&no_tty=1&command=" + sshd.sshKnown),
                sshUri("qemu", rw, "&keyfile=" + sshd.strangerKey + "&no_verify=1&no_tty=1&command=" + sshd.sshFresh),
                // nobody listens on the port
                "qemu+ssh://root@127.0.0.1:" + closedPort + socket + login(sshd.sshKnown),
                // an unknown host key without no_verify, no prompt (BatchMode)
                sshUri("qemu", rw, "&keyfile=" + sshd.clientKey + "&no_tty=1&command=" + sshd.sshFresh),
                // the far side's socket is missing: nc says so
                sshUri("qemu", work.resolve("nosuch-sock"), login(sshd.sshKnown)),
                // no ssh: a name not on PATH
                sshUri("qemu", rw, "&command=jvirt-no-such-ssh"));
        for (String uri : uris) {
            Out v = same(List.of("-c", uri), "list --all");
            assertEquals(1, v.rc(), uri);
            String head = "error: failed to connect to the hypervisor\n";
            assertTrue(v.err().startsWith(head + "error: "), v.err());
            LibvirtException e = assertThrows(LibvirtException.class, () -> new Connect(uri).close(), uri);
            assertEquals(v.err().substring(head.length()), "error: " + e.getMessage() + "\n", uri);
        }
        // an absolute path that does not exist: libvirt's child fails to exec it and races the
        // client's read, so virsh says one of two things; jvirsh the informative one
        String missing = work.resolve("no-such-ssh").toString();
        String uri = sshUri("qemu", rw, "&command=" + missing);
        String execFailed = "error: failed to connect to the hypervisor\nerror: Cannot recv data: libvirt:  error : cannot execute binary "
                + missing + ": No such file or directory: Connection reset by peer\n";
        Out v = virsh(List.of("-c", uri), "list --all");
        // (and now and then virsh dies of SIGPIPE writing to the dead child, printing nothing)
        assertTrue(v.err().equals(execFailed) || v.err().equals("error: failed to connect to the hypervisor\nerror: internal error: client socket is closed\n")
                || v.rc() == 128 + 13 && v.err().isEmpty(), v.rc() + " " + v.err());
        assertEquals(new Out(1, "", execFailed), jvirsh(List.of("-c", uri), "list --all"));
    }
}
