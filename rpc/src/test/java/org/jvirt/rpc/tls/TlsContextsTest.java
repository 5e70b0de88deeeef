package org.jvirt.rpc.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Assumptions.assumeTrue(TestPki.available(), "skipped: no certtool (Debian's gnutls-bin) to make certificates with");
        pki = TestPki.standard(dir);
    }

    private static SSLContext server() throws TlsException {
        return TlsContexts.server(pki.file("cacert.pem"), pki.file("servercert.pem"), pki.file("serverkey.pem"));
    }

    private static SSLContext client(String cert, String key) throws TlsException {
        return TlsContexts.client(pki.file("cacert.pem"), pki.file(cert), pki.file(key));
    }

    @Test
    void clientWithACertificateFromTheCaConnects() throws Exception {
        Handshake.Result r = Handshake.run(server(), client("clientcert.pem", "clientkey.pem"), null);
        assertEquals(TestPki.CLIENT_DN, r.server().clientDn(), String.valueOf(r));
        assertEquals("O=Test Org,CN=localhost", r.client().serverDn(), String.valueOf(r));
    }

    @Test
    void clientWithACertificateFromAnotherCaIsRefused() throws Exception {
        // the client trusts both CAs (so its own sanity check passes); the server trusts only its own
        Files.writeString(pki.file("bothca.pem"), Files.readString(pki.file("cacert.pem")) + Files.readString(pki.file("othercacert.pem")));
        Handshake.Result r = Handshake.run(server(), TlsContexts.client(pki.file("bothca.pem"), pki.file("foreigncert.pem"),
                pki.file("clientkey.pem")), null);
        assertNull(r.server().clientDn(), String.valueOf(r));
        assertTrue(r.server().refusal().startsWith("SSLHandshakeException"), String.valueOf(r));
        assertNull(r.client().serverDn(), String.valueOf(r));
    }

    @Test
    void clientWithoutACertificateIsRefused() throws Exception {
        Handshake.Result r = Handshake.run(server(), TlsContexts.client(pki.file("cacert.pem"), dir.resolve("none.pem"),
                dir.resolve("none-key.pem")), null);
        assertNull(r.server().clientDn(), String.valueOf(r));
        assertNotNull(r.client().error(), String.valueOf(r));
    }

    @Test
    void serverContextAlwaysAsksForAClientCertificate() throws Exception {
        SSLContext s = server();
        SSLEngine e = s.createSSLEngine();
        assertTrue(e.getNeedClientAuth());
        assertTrue(((javax.net.ssl.SSLSocket) s.getSocketFactory().createSocket()).getNeedClientAuth());
        assertTrue(s.getDefaultSSLParameters().getNeedClientAuth());
    }

    @Test
    void dnAllowListAcceptsAndRefuses() throws Exception {
        SSLContext c = client("clientcert.pem", "clientkey.pem");
        Handshake.Result ok = Handshake.run(server(), c, List.of("CN=nobody", "C=GB,ST=London,L=London,O=Red Hat,CN=client*"));
        assertEquals(TestPki.CLIENT_DN, ok.server().clientDn(), String.valueOf(ok));
        assertNotNull(ok.client().serverDn(), String.valueOf(ok));

        // RFC 4514 order is not what libvirt matches against
        Handshake.Result no = Handshake.run(server(), c, List.of("CN=client1,O=Red Hat,L=London,ST=London,C=GB"));
        assertEquals(DnAllowList.REFUSED, no.server().refusal(), String.valueOf(no));
        assertEquals("Unable to read TLS confirmation: Input/output error", no.client().error(), String.valueOf(no));

        Handshake.Result none = Handshake.run(server(), c, List.of());
        assertEquals(DnAllowList.REFUSED, none.server().refusal(), String.valueOf(none));
    }

    @Test
    void serverNameIsChecked() throws Exception {
        java.security.cert.X509Certificate cert = PkiFiles.certificates(pki.file("servercert.pem")).get(0);
        assertDoesNotThrow(() -> TlsPeers.checkServerName(cert, "127.0.0.1"));
        assertDoesNotThrow(() -> TlsPeers.checkServerName(cert, "LOCALHOST"));
        TlsException e = assertThrows(TlsException.class, () -> TlsPeers.checkServerName(cert, "127.0.0.2"));
        assertEquals("Certificate [session] owner does not match the hostname 127.0.0.2", e.getMessage());
        assertThrows(TlsException.class, () -> TlsPeers.checkServerName(cert, "otherhost"));
    }

    @Test
    void keysInEveryFormCerttoolAndOpensslWrite() throws Exception {
        // SEC1 "EC PRIVATE KEY" from certtool, with a certificate lacking a critical key usage (openssl-signed)
        pki.key("ec-key.pem", "--key-type=ecdsa");
        assertTrue(PkiFiles.text(pki.file("ec-key.pem")).contains("-----BEGIN EC PRIVATE KEY-----"));
        Files.writeString(pki.file("ec.ext"), "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n"
                + "subjectAltName=IP:127.0.0.1\n");
        TestPki.run(dir, TestPki.OPENSSL.toString(), "req", "-new", "-key", "ec-key.pem", "-subj", "/CN=ec-host", "-out", "ec.csr");
        TestPki.run(dir, TestPki.OPENSSL.toString(), "x509", "-req", "-in", "ec.csr", "-CA", "cacert.pem", "-CAkey", "cakey.pem",
                "-CAcreateserial", "-days", "30", "-extfile", "ec.ext", "-out", "ec-cert.pem");
        SSLContext ecServer = TlsContexts.server(pki.file("cacert.pem"), pki.file("ec-cert.pem"), pki.file("ec-key.pem"));
        Handshake.Result r = Handshake.run(ecServer, client("clientcert.pem", "clientkey.pem"), null);
        assertEquals("CN=ec-host", r.client().serverDn(), String.valueOf(r));

        // PKCS#8 "PRIVATE KEY" (openssl genpkey) and "ENCRYPTED PRIVATE KEY" under the empty password (certtool --pkcs8)
        TestPki.run(dir, TestPki.OPENSSL.toString(), "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-out", "p8-key.pem");
        pki.key("enc-key.pem", "--pkcs8", "--empty-password");
        assertTrue(PkiFiles.text(pki.file("enc-key.pem")).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        for (String key : List.of("p8-key.pem", "enc-key.pem")) {
            pki.issue("cert-" + key, key, "cacert.pem", "cakey.pem", TestPki.SERVER);
            SSLContext s = TlsContexts.server(pki.file("cacert.pem"), pki.file("cert-" + key), pki.file(key));
            Handshake.Result k = Handshake.run(s, client("clientcert.pem", "clientkey.pem"), null);
            assertEquals(TestPki.CLIENT_DN, k.server().clientDn(), key + ": " + k);
        }
    }

    @Test
    void certtoolsEcLeafIsRefusedAsLibvirtRefusesIt() throws Exception {
        // certtool gives ECDSA leaves a critical key usage without key encipherment; libvirt 9.0 refuses them
        pki.key("ecc-key.pem", "--key-type=ecdsa");
        pki.issue("ecc-cert.pem", "ecc-key.pem", "cacert.pem", "cakey.pem", TestPki.SERVER);
        TlsException e = assertThrows(TlsException.class,
                () -> TlsContexts.server(pki.file("cacert.pem"), pki.file("ecc-cert.pem"), pki.file("ecc-key.pem")));
        assertEquals("Certificate " + pki.file("ecc-cert.pem") + " usage does not permit key encipherment", e.getMessage());
    }

    @Test
    void clientPkiLayoutIsLibvirts() {
        Path p = dir.resolve("client");
        ClientPki c = ClientPki.locate(p, null);
        assertEquals(p.resolve("cacert.pem"), c.caFile());
        assertEquals(p.resolve("clientcert.pem"), c.certFile());
        assertEquals(p.resolve("clientkey.pem"), c.keyFile());
        ClientPki root = ClientPki.locate(null, null);
        assertEquals(Path.of("/etc/pki/CA/cacert.pem"), root.caFile());
        assertEquals(Path.of("/etc/pki/libvirt/clientcert.pem"), root.certFile());
        assertEquals(Path.of("/etc/pki/libvirt/private/clientkey.pem"), root.keyFile());
        assertDoesNotThrow(c::context);
    }
}
