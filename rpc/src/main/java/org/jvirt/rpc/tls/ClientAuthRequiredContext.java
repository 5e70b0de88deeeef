package org.jvirt.rpc.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext whose every engine and socket requires a client certificate, so no caller of
 * jvirtd's server context can forget to ask for one. It also sends no TLS 1.3 session tickets:
 * libvirt 9.0's client waits for the server's confirmation byte with one read after the
 * handshake, and a ticket arriving on its own makes that read fail ("Unable to read TLS
 * confirmation: Resource temporarily unavailable", seen with the real virsh). Java sends no
 * ticket when the session lifetime exceeds the 7-day ticket maximum; libvirt never resumes
 * sessions anyway.
 */
final class ClientAuthRequiredContext extends SSLContext {
    /** One second past TLS 1.3's longest ticket lifetime (RFC 8446 4.6.1). */
    private static final int NO_TICKETS_TIMEOUT = 7 * 24 * 3600 + 1;

    ClientAuthRequiredContext(SSLContext inner) {
        super(new Spi(inner), inner.getProvider(), inner.getProtocol());
        inner.getServerSessionContext().setSessionTimeout(NO_TICKETS_TIMEOUT);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext inner;

        Spi(SSLContext inner) {
            this.inner = inner;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            inner.init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new SocketFactory(inner.getSocketFactory());
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSocketFactory(inner.getServerSocketFactory());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            SSLEngine e = inner.createSSLEngine();
            e.setNeedClientAuth(true);
            return e;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine e = inner.createSSLEngine(host, port);
            e.setNeedClientAuth(true);
            return e;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return inner.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return inner.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLParameters p = inner.getDefaultSSLParameters();
            p.setNeedClientAuth(true);
            return p;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            SSLParameters p = inner.getSupportedSSLParameters();
            p.setNeedClientAuth(true);
            return p;
        }
    }

    private static ServerSocket needing(ServerSocket s) {
        ((SSLServerSocket) s).setNeedClientAuth(true);
        return s;
    }

    private static Socket needing(Socket s) {
        ((SSLSocket) s).setNeedClientAuth(true);
        return s;
    }

    private static final class ServerSocketFactory extends SSLServerSocketFactory {
        private final SSLServerSocketFactory inner;

        ServerSocketFactory(SSLServerSocketFactory inner) {
            this.inner = inner;
        }

        @Override public String[] getDefaultCipherSuites() { return inner.getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return inner.getSupportedCipherSuites(); }
        @Override public ServerSocket createServerSocket() throws IOException { return needing(inner.createServerSocket()); }
        @Override public ServerSocket createServerSocket(int port) throws IOException { return needing(inner.createServerSocket(port)); }
        @Override public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return needing(inner.createServerSocket(port, backlog));
        }
        @Override public ServerSocket createServerSocket(int port, int backlog, InetAddress addr) throws IOException {
            return needing(inner.createServerSocket(port, backlog, addr));
        }
    }

    /** Layered sockets: a server wraps an accepted plain socket and sets server mode itself. */
    private static final class SocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory inner;

        SocketFactory(SSLSocketFactory inner) {
            this.inner = inner;
        }

        @Override public String[] getDefaultCipherSuites() { return inner.getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return inner.getSupportedCipherSuites(); }
        @Override public Socket createSocket() throws IOException { return needing(inner.createSocket()); }
        @Override public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return needing(inner.createSocket(s, host, port, autoClose));
        }
        @Override public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return needing(inner.createSocket(s, consumed, autoClose));
        }
        @Override public Socket createSocket(String host, int port) throws IOException { return needing(inner.createSocket(host, port)); }
        @Override public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return needing(inner.createSocket(host, port, local, localPort));
        }
        @Override public Socket createSocket(InetAddress host, int port) throws IOException { return needing(inner.createSocket(host, port)); }
        @Override public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return needing(inner.createSocket(host, port, local, localPort));
        }
    }
}
