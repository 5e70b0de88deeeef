package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.tls.ClientPki;
import org.jvirt.rpc.tls.TlsConfirmation;
import org.jvirt.rpc.tls.TlsContexts;
import org.jvirt.rpc.tls.TlsException;
import org.jvirt.rpc.tls.TlsPeers;

/**
 * TLS over TCP as libvirt's client does it: the PKI files from ?pkipath= or libvirt's places
 * (ClientPki), the handshake, the server's certificate checked against the host name
 * (unless ?no_verify=1), then libvirt's confirmation byte before the first frame.
 */
final class TlsLink implements Link {
    private final SSLSocket socket;

    private TlsLink(SSLSocket socket) {
        this.socket = socket;
    }

    static TlsLink open(RemoteUri uri) throws LibvirtException {
        String pki = uri.param("pkipath");
        ClientPki files = ClientPki.locate(pki == null ? null : Path.of(pki), Path.of(System.getProperty("user.home")));
        SSLContext ctx;
        try {
            ctx = TlsContexts.client(files.caFile(), files.certFile(), files.keyFile());
        } catch (TlsException e) {
            throw SocketLink.systemError(e.getMessage());
        }
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(uri.host(), uri.port()), 30_000);
            plain.setTcpNoDelay(true);
        } catch (IOException e) {
            try {
                plain.close();
            } catch (IOException ignored) {
                // nothing was open
            }
            throw SocketLink.systemError("unable to connect to server at '" + uri.host() + ":" + uri.port() + "': " + SocketLink.reason(e));
        }
        try {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, uri.host(), uri.port(), true);
            s.setUseClientMode(true);
            s.startHandshake();
            if (!"1".equals(uri.param("no_verify"))) TlsPeers.checkServer(s.getSession(), uri.host());
            TlsConfirmation.await(s.getInputStream());
            return new TlsLink(s);
        } catch (TlsException e) {
            closeQuietly(plain);
            throw SocketLink.systemError(e.getMessage());
        } catch (IOException e) {
            closeQuietly(plain);
            throw SocketLink.systemError("TLS handshake failed: " + e.getMessage());
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already failed
        }
    }

    @Override
    public InputStream in() {
        try {
            return socket.getInputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public OutputStream out() {
        try {
            return socket.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
