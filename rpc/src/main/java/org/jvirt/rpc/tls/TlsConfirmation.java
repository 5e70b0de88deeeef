package org.jvirt.rpc.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte libvirt's server sends right after the TLS handshake once it has checked the client
 * (certificate, DN allow-list): 1 means go on; a server that refuses the client closes the
 * connection without sending it. The client reads it before its first call.
 */
public final class TlsConfirmation {
    public static final int ACCEPTED = 1;

    private TlsConfirmation() {
    }

    /** Server side: the client passed the checks. */
    public static void send(OutputStream out) throws IOException {
        out.write(ACCEPTED);
        out.flush();
    }

    /**
     * Client side: waits for the byte, failing with libvirt's messages. A server that refuses us
     * drops the connection without a TLS goodbye, which GnuTLS reports as an I/O error and Java
     * as a plain end of stream: both are libvirt's "Unable to read TLS confirmation".
     */
    public static void await(InputStream in) throws TlsException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw new TlsException("Unable to read TLS confirmation: Input/output error", e);
        }
        if (b < 0) throw new TlsException("Unable to read TLS confirmation: Input/output error");
        if (b != ACCEPTED) {
            throw new TlsException("server verification (of our certificate or IP address) failed");
        }
    }
}
