package org.jvirt.rpc.tls;

/**
 * A TLS setup or peer check that failed, worded as libvirt words it ("Cannot read CA certificate
 * '/etc/pki/CA/cacert.pem': No such file or directory", "Unable to import server certificate
 * FILE", ...), ready to show a user as is.
 */
public final class TlsException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
