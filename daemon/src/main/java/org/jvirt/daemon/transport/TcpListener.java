package org.jvirt.daemon.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * TCP, plain (libvirt's port 16509) or TLS (16514, when a TLS context is given). A TLS
 * client's certificate is checked by the handshake (the CA), then against the DN allow-list;
 * an accepted client gets libvirt's confirmation byte before its first frame, a refused one a
 * closed TCP connection without a TLS goodbye (what libvirtd's clients see).
 */
public final class TcpListener implements Listener {
    private final String host;
    private final int port;
    private final javax.net.ssl.SSLContext tls;
    /** tls_allowed_dn_list (null: no list, every certificate the CA signed). */
    private final java.util.List<String> allowedDns;
    private ServerSocket server;

    private final org.jvirt.daemon.log.LogSink log;

    public TcpListener(String host, int port, javax.net.ssl.SSLContext tls, java.util.List<String> allowedDns,
                       org.jvirt.daemon.log.LogSink log) {
        this.log = log;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.allowedDns = allowedDns;
    }

    /** The port actually bound (the configured one, or the system's choice for 0). */
    public int boundPort() {
        return server.getLocalPort();
    }

    @Override
    public void start(Handler handler) throws IOException {
        server = new ServerSocket();
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
                    Thread h = new Thread(() -> handshake(s, handler), "jvirtd-tls-handshake");
                    h.setDaemon(true);
                    h.start();
                }
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    private void handshake(Socket plain, Handler handler) {
        try {
            plain.setSoTimeout(30_000);
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            s.setUseClientMode(false);
            s.setNeedClientAuth(true);
            s.startHandshake();
            try {
                org.jvirt.rpc.tls.TlsPeers.checkClient(s.getSession(), allowedDns);
            } catch (org.jvirt.rpc.tls.TlsException e) {
                log.log(org.jvirt.daemon.log.Level.ERROR, "refusing TLS client " + plain.getRemoteSocketAddress() + ": " + e.getMessage());
                plain.close();
                return;
            }
            org.jvirt.rpc.tls.TlsConfirmation.send(s.getOutputStream());
            plain.setSoTimeout(0);
            handler.accepted(new TcpTransport(s, true), false);
        } catch (IOException e) {
            try {
                plain.close();
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
