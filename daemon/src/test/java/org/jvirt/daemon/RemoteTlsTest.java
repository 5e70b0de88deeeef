package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.tls.TestPki;
import org.jvirt.rpc.tls.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt's own client over TLS (jvirt+tls://, test+tls://) to jvirtd's TLS listener: certificates
 * made with certtool, the client's PKI directory from ?pkipath=, the server's name checked; a
 * client whose certificate another CA signed is refused.
 */
class RemoteTlsTest {
    @TempDir Path tmp;

    @Test
    void theJavaApiWorksOverTls() throws Exception {
        assumeTrue(TestPki.available(), "certtool (gnutls-bin) is not installed");
        TestPki pki = TestPki.standard(Files.createDirectories(tmp.resolve("pki")));
        ServerSettings s = new ServerSettings(tmp.resolve("root"), null, null, null, null, "127.0.0.1", -1, 0,
                TlsContexts.server(pki.file("cacert.pem"), pki.file("servercert.pem"), pki.file("serverkey.pem")),
                List.of(TestPki.CLIENT_DN), 5000, 20, 5, 5);
        try (DaemonServer d = new DaemonServer(s)) {
            d.start();
            Connect c = new Connect("test+tls://127.0.0.1:" + d.tlsPort() + "/default?pkipath=" + pki.dir.resolve("client"));
            try {
                assertEquals(1, c.domainLookupByName("test").getID());
            } finally {
                c.close();
            }
            Path foreign = Files.createDirectories(tmp.resolve("foreign"));
            Files.copy(pki.file("cacert.pem"), foreign.resolve("cacert.pem"));
            Files.copy(pki.file("foreigncert.pem"), foreign.resolve("clientcert.pem"));
            Files.copy(pki.file("clientkey.pem"), foreign.resolve("clientkey.pem"));
            LibvirtException e = assertThrows(LibvirtException.class,
                    () -> new Connect("test+tls://127.0.0.1:" + d.tlsPort() + "/default?pkipath=" + foreign));
            assertFalse(e.getMessage().isEmpty());
        }
    }
}
