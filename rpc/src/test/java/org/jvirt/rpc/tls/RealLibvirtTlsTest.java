package org.jvirt.rpc.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt's TLS side against libvirt's own: the real virsh handshakes with a Java server built by
 * {@link TlsContexts#server}, virt-pki-query-dn prints the DNs {@link GnutlsDn} prints, and the
 * real libvirtd refuses bad PKI files with the messages {@link TlsContexts} gives.
 */
class RealLibvirtTlsTest {
    private static final Path VIRSH = Path.of("/usr/bin/virsh");
    private static final Path QUERY_DN = Path.of("/usr/bin/virt-pki-query-dn");
    private static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Assumptions.assumeTrue(TestPki.available(), "skipped: no certtool (Debian's gnutls-bin) to make certificates with");
        pki = TestPki.standard(dir);
    }

    private static String[] runVirsh(int port, String pkipath) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(VIRSH.toString(), "-c",
                "test+tls://127.0.0.1:" + port + "/default?pkipath=" + pkipath, "list");
        pb.environment().put("LIBVIRT_DEFAULT_URI", "");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "virsh did not finish");
        return new String[] {String.valueOf(p.exitValue()), out, err.get()};
    }

    /** Serves one connection: handshake, DN check, then the confirmation byte and the first frame's header words. */
    private static CompletableFuture<String> serveOnce(ServerSocket plain, SSLContext ctx, List<String> dns) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket raw = plain.accept()) {
                raw.setSoTimeout(20_000);
                SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
                s.setUseClientMode(false);
                s.startHandshake();
                String dn;
                try {
                    dn = GnutlsDn.of(TlsPeers.checkClient(s.getSession(), dns).getSubjectX500Principal());
                } catch (TlsException refused) {
                    // as libvirtd: drop the TCP connection without a TLS goodbye or confirmation
                    return "refused: " + refused.getMessage();
                }
                TlsConfirmation.send(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                int length = in.readInt();
                int program = in.readInt();
                int version = in.readInt();
                int procedure = in.readInt();
                return "dn=" + dn + " " + s.getSession().getProtocol() + " frame: length=" + length + " program=" + Integer.toHexString(program)
                        + " version=" + version + " procedure=" + procedure;
            } catch (Exception e) {
                return "error: " + e;
            }
        });
    }

    @Test
    void realVirshHandshakesWithTheJavaServerAndSendsItsFirstCall() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(VIRSH), "skipped: no real virsh (Debian's libvirt-clients)");
        SSLContext ctx = TlsContexts.server(pki.file("cacert.pem"), pki.file("servercert.pem"), pki.file("serverkey.pem"));
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = serveOnce(plain, ctx, List.of("C=GB,ST=London,L=London,O=Red Hat,CN=client*"));
            String[] virsh = runVirsh(plain.getLocalPort(), dir.resolve("client").toString());
            String seen = served.get(30, TimeUnit.SECONDS);
            // the handshake and the DN check passed, and virsh went on to its first remote call
            // (program 0x20008086 REMOTE, version 1) inside the TLS session
            assertTrue(seen.startsWith("dn=" + TestPki.CLIENT_DN + " TLSv1.3 frame: "), seen + " / virsh: " + virsh[2]);
            assertTrue(seen.contains("program=20008086 version=1"), seen);
            assertNotEquals("0", virsh[0], "virsh cannot succeed against a server that never answers");
        }
    }

    @Test
    void realVirshIsRefusedByTheDnAllowListAsLibvirtdRefusesIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(VIRSH), "skipped: no real virsh (Debian's libvirt-clients)");
        SSLContext ctx = TlsContexts.server(pki.file("cacert.pem"), pki.file("servercert.pem"), pki.file("serverkey.pem"));
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = serveOnce(plain, ctx, List.of("CN=someone-else"));
            String[] virsh = runVirsh(plain.getLocalPort(), dir.resolve("client").toString());
            assertEquals("refused: " + DnAllowList.REFUSED, served.get(30, TimeUnit.SECONDS));
            // what virsh 9.0 prints when libvirtd 9.0 refuses its DN (seen against the real libvirtd)
            assertEquals("1", virsh[0]);
            assertTrue(virsh[2].contains("error: Unable to read TLS confirmation: Input/output error"), virsh[2]);
        }
    }

    @Test
    void realVirshRefusesAServerFromAnotherCa() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(VIRSH), "skipped: no real virsh (Debian's libvirt-clients)");
        pki.issue("otherserver.pem", "serverkey.pem", "othercacert.pem", "otherkey.pem", TestPki.SERVER);
        SSLContext ctx = TlsContexts.server(pki.file("othercacert.pem"), pki.file("otherserver.pem"), pki.file("serverkey.pem"));
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = serveOnce(plain, ctx, null);
            String[] virsh = runVirsh(plain.getLocalPort(), dir.resolve("client").toString());
            String seen = served.get(30, TimeUnit.SECONDS);
            assertTrue(seen.startsWith("error: "), seen);
            assertEquals("1", virsh[0]);
            assertFalse(virsh[2].isBlank());
        }
    }

    @Test
    void dnsArePrintedAsVirtPkiQueryDnPrintsThem() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(QUERY_DN), "skipped: no virt-pki-query-dn (Debian's libvirt-clients)");
        pki.issue("odd.pem", "clientkey.pem", "cacert.pem", "cakey.pem", "country = GB\nstate = London\n"
                + "organization = \"Red Hat, Inc.\"\nunit = \"Eng+QA\"\nunit = Virt\ncn = \"client #2 <x>; \\\"q\\\"\"\n"
                + "dc = example\ndc = org\nuid = joe\ntls_www_client\n");
        pki.issue("lead.pem", "clientkey.pem", "cacert.pem", "cakey.pem", "organization = \"#lead;semi=eq\"\n"
                + "unit = \" spaced \"\ncn = x\ntls_www_client\n");
        for (String f : List.of("clientcert.pem", "servercert.pem", "cacert.pem", "odd.pem", "lead.pem")) {
            String expected = TestPki.run(dir, QUERY_DN.toString(), f).strip();
            String ours = GnutlsDn.of(PkiFiles.certificates(pki.file(f)).get(0).getSubjectX500Principal());
            assertEquals(expected, ours, f);
        }
        assertEquals(TestPki.CLIENT_DN, TestPki.run(dir, QUERY_DN.toString(), "clientcert.pem").strip());
    }

    /** libvirtd's first error for a TLS listener over these files (it exits before listening). */
    private static String libvirtdError(String ca, String cert, String key, int n) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path run = Files.createDirectories(dir.resolve("lv" + n));
        Files.createDirectories(run.resolve("sock"));
        Files.createDirectories(run.resolve("drivers"));
        Path conf = run.resolve("libvirtd.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + run.resolve("sock") + "\"\nlisten_tcp = 0\nlisten_tls = 1\n"
                + "listen_addr = \"127.0.0.1\"\ntls_port = \"" + port + "\"\nca_file = \"" + pki.file(ca) + "\"\n"
                + "cert_file = \"" + pki.file(cert) + "\"\nkey_file = \"" + pki.file(key) + "\"\n");
        ProcessBuilder pb = new ProcessBuilder(LIBVIRTD.toString(), "--listen", "-f", conf.toString(),
                "-p", run.resolve("pid").toString(), "-t", "1").redirectErrorStream(true);
        pb.environment().put("LIBVIRT_DRIVER_DIR", run.resolve("drivers").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        Matcher m = Pattern.compile("^\\S+ \\S+: \\d+: error : \\S+ : (.*)$", Pattern.MULTILINE).matcher(out);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void badPkiFilesAreRefusedWithLibvirtdsMessages() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(LIBVIRTD), "skipped: no real libvirtd (Debian's libvirt-daemon)");
        Files.writeString(pki.file("garbage.pem"), "garbage\n");
        pki.issue("foreignserver.pem", "serverkey.pem", "othercacert.pem", "otherkey.pem", TestPki.SERVER);
        pki.key("ecs-key.pem", "--key-type=ecdsa");
        pki.issue("ecs-cert.pem", "ecs-key.pem", "cacert.pem", "cakey.pem", TestPki.SERVER);
        String[][] cases = {
            {"nope.pem", "servercert.pem", "serverkey.pem"},
            {"cacert.pem", "nope.pem", "serverkey.pem"},
            {"cacert.pem", "servercert.pem", "nope.pem"},
            {"garbage.pem", "servercert.pem", "serverkey.pem"},
            {"cacert.pem", "garbage.pem", "serverkey.pem"},
            {"cacert.pem", "servercert.pem", "garbage.pem"},
            {"cacert.pem", "servercert.pem", "clientkey.pem"},
            {"cacert.pem", "foreignserver.pem", "serverkey.pem"},
            {"cacert.pem", "cacert.pem", "cakey.pem"},
            {"servercert.pem", "servercert.pem", "serverkey.pem"},
            {"cacert.pem", "ecs-cert.pem", "ecs-key.pem"},
        };
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < cases.length; i++) {
            String[] c = cases[i];
            String ours;
            try {
                TlsContexts.server(pki.file(c[0]), pki.file(c[1]), pki.file(c[2]));
                ours = null;
            } catch (TlsException e) {
                ours = e.getMessage();
            }
            String libvirtd = libvirtdError(c[0], c[1], c[2], i);
            assertNotNull(ours, String.join(" ", c) + " was accepted (libvirtd: " + libvirtd + ")");
            if (!ours.equals(libvirtd)) diffs.add(String.join(" ", c) + "\n  libvirtd: " + libvirtd + "\n  jvirt:    " + ours);
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    /** Starts libvirtd with a TLS listener over the test PKI and returns it once the port answers. */
    private static Process startTlsLibvirtd(int port, String dnList, String name) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(run.resolve("sock"));
        Files.createDirectories(run.resolve("drivers"));
        Path conf = run.resolve("libvirtd.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + run.resolve("sock") + "\"\nlisten_tcp = 0\nlisten_tls = 1\n"
                + "listen_addr = \"127.0.0.1\"\ntls_port = \"" + port + "\"\nca_file = \"" + pki.file("cacert.pem") + "\"\n"
                + "cert_file = \"" + pki.file("servercert.pem") + "\"\nkey_file = \"" + pki.file("serverkey.pem") + "\"\n"
                + (dnList == null ? "" : "tls_allowed_dn_list = [\"" + dnList + "\"]\n"));
        ProcessBuilder pb = new ProcessBuilder(LIBVIRTD.toString(), "--listen", "-f", conf.toString(),
                "-p", run.resolve("pid").toString()).redirectErrorStream(true)
                .redirectOutput(run.resolve("libvirtd.log").toFile());
        pb.environment().put("LIBVIRT_DRIVER_DIR", run.resolve("drivers").toString());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        fail("libvirtd did not listen on " + port + ": " + Files.readString(run.resolve("libvirtd.log")));
        return null;
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** The Java client side against libvirtd: handshake, server name, confirmation byte. */
    private static String connectJavaClient(int port) throws Exception {
        SSLContext ctx = ClientPki.locate(dir.resolve("client"), null).context();
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            s.startHandshake();
            String server = GnutlsDn.of(TlsPeers.checkServer(s.getSession(), "127.0.0.1").getSubjectX500Principal());
            try {
                TlsConfirmation.await(s.getInputStream());
            } catch (TlsException e) {
                return "refused: " + e.getMessage();
            }
            return "accepted by " + server + " over " + s.getSession().getProtocol();
        }
    }

    @Test
    void javaClientIsAcceptedAndRefusedByTheRealLibvirtd() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(LIBVIRTD), "skipped: no real libvirtd (Debian's libvirt-daemon)");
        int port = freePort();
        Process ok = startTlsLibvirtd(port, "C=GB,ST=London,*", "lv-accept");
        try {
            assertEquals("accepted by O=Test Org,CN=localhost over TLSv1.3", connectJavaClient(port));
        } finally {
            ok.destroy();
            ok.waitFor(20, TimeUnit.SECONDS);
        }
        int port2 = freePort();
        Process no = startTlsLibvirtd(port2, "CN=someone-else", "lv-refuse");
        try {
            // libvirtd drops the connection without a TLS goodbye: virsh says the same words
            assertEquals("refused: Unable to read TLS confirmation: Input/output error", connectJavaClient(port2));
        } finally {
            no.destroy();
            no.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
