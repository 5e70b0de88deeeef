package org.jvirt.daemon.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TCP, plain (libvirt's port 16509) or TLS (16514, when a server socket factory for TLS is
 * given). A TLS client's certificate is checked by the handshake (the CA) and then by the
 * DN allow-list before its first frame is read.
 */
public final class TcpListener implements Listener {
    /** Accepts or refuses a TLS peer after the handshake (the DN allow-list). */
    public interface PeerCheck {
        /** null to accept, or why the peer is refused (logged). */
        String refuse(SSLSocket s);
    }

    private final String host;
    private final int port;
    private final javax.net.ssl.SSLContext tls;
    private final PeerCheck check;
    private ServerSocket server;

    public TcpListener(String host, int port, javax.net.ssl.SSLContext tls, PeerCheck check) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.check = check;
    }

    /** The port actually bound (the configured one, or the system's choice for 0). */
    public int boundPort() {
        return server.getLocalPort();
    }

    @Override
    public void start(Handler handler) throws IOException {
        if (tls != null) {
            SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
            s.setNeedClientAuth(true);
            server = s;
        } else {
            server = new ServerSocket();
        }
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(host, port), 128);
        Thread t = new Thread(() -> acceptLoop(handler), "jvirtd-accept-" + (tls != null ? "tls" : "tcp"));
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop(Handler handler) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                if (tls == null) {
                    handler.accepted(new TcpTransport(s, false), false);
                } else {
                    // the handshake on the connection's own thread: a slow client holds up no one
                    Thread h = new Thread(() -> handshake((SSLSocket) s, handler), "jvirtd-tls-handshake");
                    h.setDaemon(true);
                    h.start();
                }
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    private void handshake(SSLSocket s, Handler handler) {
        try {
            s.setSoTimeout(30_000);
            s.startHandshake();
            s.setSoTimeout(0);
            String why = check == null ? null : check.refuse(s);
            if (why != null) {
                System.err.println("jvirtd: refusing TLS client " + s.getRemoteSocketAddress() + ": " + why);
                s.close();
                return;
            }
            handler.accepted(new TcpTransport(s, true), false);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failed
            }
        }
    }

    @Override
    public String describe() {
        return (tls != null ? "tls:" : "tcp:") + host + ":" + (server != null ? server.getLocalPort() : port);
    }

    @Override
    public void close() {
        try {
            if (server != null) server.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private static final class TcpTransport implements Transport {
        private final Socket s;
        private final boolean secure;

        TcpTransport(Socket s, boolean secure) {
            this.s = s;
            this.secure = secure;
        }

        @Override public InputStream input() throws IOException { return s.getInputStream(); }

        @Override public OutputStream output() throws IOException { return s.getOutputStream(); }

        @Override public String describe() { return (secure ? "tls:" : "tcp:") + s.getRemoteSocketAddress(); }

        @Override public boolean secure() { return secure; }

        @Override
        public void close() {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
