package org.jvirt.rpc.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reading the CA, certificate and key files, with libvirt's messages when they are missing or bad. */
final class PkiFiles {
    private PkiFiles() {
    }

    /** "Cannot read CA certificate 'FILE': No such file or directory" when {@code file} is absent. */
    static void requireExists(String what, Path file) throws TlsException {
        if (!Files.exists(file)) {
            throw new TlsException("Cannot read " + what + " '" + file + "': No such file or directory");
        }
    }

    static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    /** Every certificate in a PEM file, in order; empty when there is none or the file is unreadable. */
    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (Pem.Block b : Pem.blocks(text(file))) {
                if (!b.label().equals("CERTIFICATE") && !b.label().equals("X509 CERTIFICATE")) continue;
                try {
                    out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (CertificateException e) {
                    return List.of(); // GnuTLS refuses the whole list when one certificate is bad
                }
            }
        } catch (IOException | CertificateException e) {
            return List.of();
        }
        return out;
    }

    /** The CA list: "Unable to import CA certificate list FILE" when it holds none. */
    static List<X509Certificate> caList(Path file) throws TlsException {
        List<X509Certificate> cas = certificates(file);
        if (cas.isEmpty()) throw new TlsException("Unable to import CA certificate list " + file);
        return cas;
    }

    /** Our own certificate chain: "Unable to import server certificate FILE" when it holds none. */
    static List<X509Certificate> chain(Path file, boolean server) throws TlsException {
        List<X509Certificate> chain = certificates(file);
        if (chain.isEmpty()) {
            throw new TlsException("Unable to import " + (server ? "server" : "client") + " certificate " + file);
        }
        return chain;
    }

    /** The private key, checked against the certificate as GnuTLS does when it loads the pair. */
    static PrivateKey key(Path keyFile, Path certFile, X509Certificate cert) throws TlsException {
        String prefix = "Unable to set x509 key and certificate: " + keyFile + ", " + certFile + ": ";
        PrivateKey key;
        try {
            key = PrivateKeys.first(text(keyFile));
        } catch (IOException e) {
            throw new TlsException(prefix + "Error while reading file.");
        }
        if (key == null) throw new TlsException(prefix + "The requested data were not available.");
        if (!KeyPairs.match(key, cert.getPublicKey())) {
            throw new TlsException(prefix + "The certificate and the given key do not match.");
        }
        return key;
    }
}
