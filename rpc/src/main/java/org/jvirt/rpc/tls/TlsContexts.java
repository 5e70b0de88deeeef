package org.jvirt.rpc.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SSLContexts from libvirt's PKI files, for jvirtd (server) and jvirt's remote client.
 *
 * <p>Both check the files as libvirt does before it serves or connects (the CA file must exist
 * and hold certificates; our certificate must be valid now, not a CA, fit for its role, verify
 * against the CA file and match its key) and fail with libvirt's messages. The peer is verified
 * against the CA file only (no system trust store). Keys may be PKCS#8, PKCS#1 RSA or SEC1 EC, as
 * certtool and openssl write them.
 */
public final class TlsContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    /**
     * jvirtd's context: presents {@code certFile}/{@code keyFile} and requires every client to
     * present a certificate that verifies against {@code caFile} (libvirtd's default,
     * tls_no_verify_certificate = 0): engines, server sockets and layered sockets made from it
     * have need-client-auth set. The DN allow-list is checked after the handshake
     * ({@link TlsPeers#checkClient}).
     */
    public static SSLContext server(Path caFile, Path certFile, Path keyFile) throws TlsException {
        PkiFiles.requireExists("CA certificate", caFile);
        PkiFiles.requireExists("certificate", certFile);
        PkiFiles.requireExists("private key", keyFile);
        return new ClientAuthRequiredContext(build(caFile, certFile, keyFile, true));
    }

    /**
     * A client's context: trusts {@code caFile}'s CAs and presents {@code certFile}/{@code keyFile}
     * when both exist (libvirt connects without a client certificate when they are missing, and the
     * server then refuses it). Check the server's name after the handshake with
     * {@link TlsPeers#checkServer}. Use {@link ClientPki} for libvirt's file locations.
     */
    public static SSLContext client(Path caFile, Path certFile, Path keyFile) throws TlsException {
        PkiFiles.requireExists("CA certificate", caFile);
        boolean withCert = certFile != null && keyFile != null && Files.exists(certFile) && Files.exists(keyFile);
        return build(caFile, withCert ? certFile : null, withCert ? keyFile : null, false);
    }

    private static SSLContext build(Path caFile, Path certFile, Path keyFile, boolean server) throws TlsException {
        List<X509Certificate> cas;
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        if (certFile != null) {
            chain = PkiFiles.chain(certFile, server);
            cas = PkiFiles.caList(caFile);
            CertificateChecks.check(chain.get(0), certFile, cas, caFile, server);
            key = PkiFiles.key(keyFile, certFile, chain.get(0));
        } else {
            cas = PkiFiles.caList(caFile);
        }
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) trust.setCertificateEntry("ca" + i, cas.get(i));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);

            KeyManager[] keyManagers = null;
            if (key != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                own.setKeyEntry("own", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(own, NO_PASSWORD);
                keyManagers = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsException("Unable to allocate x509 credentials: " + e.getMessage(), e);
        }
    }
}
