package org.jvirt.rpc.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a libvirt client finds its TLS files: with {@code ?pkipath=DIR} in the URI, DIR/cacert.pem,
 * DIR/clientcert.pem and DIR/clientkey.pem (the key directly in DIR, not in private/); otherwise a
 * non-root user's ~/.pki/libvirt/ files where they exist, and the system's
 * /etc/pki/CA/cacert.pem, /etc/pki/libvirt/clientcert.pem, /etc/pki/libvirt/private/clientkey.pem.
 */
public record ClientPki(Path caFile, Path certFile, Path keyFile) {
    public static final Path SYSTEM_CA = Path.of("/etc/pki/CA/cacert.pem");
    public static final Path SYSTEM_CERT = Path.of("/etc/pki/libvirt/clientcert.pem");
    public static final Path SYSTEM_KEY = Path.of("/etc/pki/libvirt/private/clientkey.pem");

    /** @param pkipath the URI's pkipath, or null; @param home the user's home, or null for root */
    public static ClientPki locate(Path pkipath, Path home) {
        if (pkipath != null) {
            return new ClientPki(pkipath.resolve("cacert.pem"), pkipath.resolve("clientcert.pem"),
                    pkipath.resolve("clientkey.pem"));
        }
        if (home == null) return new ClientPki(SYSTEM_CA, SYSTEM_CERT, SYSTEM_KEY);
        Path user = home.resolve(".pki/libvirt");
        return new ClientPki(userOr(user.resolve("cacert.pem"), SYSTEM_CA),
                userOr(user.resolve("clientcert.pem"), SYSTEM_CERT), userOr(user.resolve("clientkey.pem"), SYSTEM_KEY));
    }

    private static Path userOr(Path user, Path system) {
        return Files.exists(user) ? user : system;
    }

    /** {@link TlsContexts#client} over these files. */
    public javax.net.ssl.SSLContext context() throws TlsException {
        return TlsContexts.client(caFile, certFile, keyFile);
    }
}
