package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirt.rpc.tls.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirtd as a process (its main class on this test's class path, as bin/jvirtd runs it): the
 * config file's TCP and TLS listeners reached by the real virsh (x509 certificates made with
 * certtool, the DN allow-list refusing a client of another CA), a second daemon on the same
 * root refused, and a SIGTERM that ends the daemon cleanly.
 */
class JvirtdProcessTest {
    @TempDir Path tmp;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process jvirtd(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Jvirtd.class.getName(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve("jvirtd.out").toFile()).start();
    }

    static void awaitPort(int port, Process p, Path root) throws Exception {
        for (int i = 0; i < 400; i++) {
            if (!p.isAlive()) fail("jvirtd exited: " + Files.readString(root.resolve("jvirtd.out")));
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        fail("jvirtd did not listen on " + port);
    }

    @Test
    void versionAndBadOptionsAnswerAsLibvirtd() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(0, Jvirtd.run(new String[] {"--version"}, java.util.Map.of(), new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertEquals("jvirtd (jvirt) " + Jvirtd.VERSION + "\n", out.toString());
        assertEquals(1, Jvirtd.run(new String[] {"--frobnicate"}, java.util.Map.of(), new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertTrue(err.toString().startsWith("jvirtd: unrecognized option '--frobnicate'"), err.toString());
    }

    @Test
    void tcpAndTlsFromTheConfigFileServeTheRealVirsh() throws Exception {
        assumeTrue(Virsh.available(), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(TestPki.available(), "certtool (gnutls-bin) is not installed");
        Path root = Files.createDirectories(tmp.resolve("root"));
        TestPki pki = TestPki.standard(Files.createDirectories(tmp.resolve("pki")));
        Path etcPki = root.resolve("etc/pki");
        Files.createDirectories(etcPki.resolve("CA"));
        Files.createDirectories(etcPki.resolve("libvirt/private"));
        Files.copy(pki.file("cacert.pem"), etcPki.resolve("CA/cacert.pem"));
        Files.copy(pki.file("servercert.pem"), etcPki.resolve("libvirt/servercert.pem"));
        Files.copy(pki.file("serverkey.pem"), etcPki.resolve("libvirt/private/serverkey.pem"));
        int tcp = freePort();
        int tls = freePort();
        Files.writeString(root.resolve("etc/jvirtd.conf"), "listen_tcp = 1\nauth_tcp = \"none\"\ntcp_port = \"" + tcp + "\"\n"
                + "listen_tls = 1\ntls_port = \"" + tls + "\"\ntls_allowed_dn_list = [\"" + TestPki.CLIENT_DN + "\"]\n"
                + "some_future_key = 1\n", StandardCharsets.UTF_8);
        Process d = jvirtd(root, "--listen");
        try {
            awaitPort(tls, d, root);
            awaitPort(tcp, d, root);
            Virsh.Result plain = Virsh.run("qemu+tcp://127.0.0.1:" + tcp + "/system", "list --all");
            assertEquals(" Id   Name   State\n--------------------\n\n", plain.out(), plain.all());
            Virsh.Result secure = Virsh.run("qemu+tls://127.0.0.1:" + tls + "/system?pkipath=" + pki.dir.resolve("client"), "list --all");
            assertEquals(" Id   Name   State\n--------------------\n\n", secure.out(), secure.all());
            Path foreign = Files.createDirectories(tmp.resolve("foreign"));
            Files.copy(pki.file("cacert.pem"), foreign.resolve("cacert.pem"));
            Files.copy(pki.file("foreigncert.pem"), foreign.resolve("clientcert.pem"));
            Files.copy(pki.file("clientkey.pem"), foreign.resolve("clientkey.pem"));
            Virsh.Result refused = Virsh.run("qemu+tls://127.0.0.1:" + tls + "/system?pkipath=" + foreign, "list --all");
            assertNotEquals(0, refused.exit());
            assertTrue(refused.err().startsWith("error: failed to connect to the hypervisor\n"), refused.all());
            // a second daemon on the same root: its pid file is held
            Process second = jvirtd(Files.createDirectories(tmp.resolve("second-out")), "--pid-file", root.resolve("run/jvirtd.pid").toString());
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, second.exitValue());
            assertTrue(Files.readString(tmp.resolve("second-out/jvirtd.out")).contains("Failed to acquire pid file"));
            String log = Files.readString(root.resolve("jvirtd.out"));
            assertTrue(log.contains("some_future_key"), "an unknown key is warned about: " + log);
        } finally {
            d.destroy(); // SIGTERM
            assertTrue(d.waitFor(20, TimeUnit.SECONDS), "jvirtd ends on SIGTERM");
        }
        assertEquals(143 == d.exitValue() ? 143 : 0, d.exitValue());
        assertFalse(Files.exists(root.resolve("run/jvirtd.pid")), "the pid file goes with the daemon");
    }
}
