package org.jvirt.rpc.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** One TLS connection over loopback between a server and a client context, with libvirt's post-handshake steps. */
final class Handshake {
    /** What the server side saw: the client's DN when accepted, or why it refused. */
    record ServerSide(String clientDn, String refusal) {}

    /** What the client side saw: the server's DN when accepted, or its error. */
    record ClientSide(String serverDn, String error) {}

    record Result(ServerSide server, ClientSide client) {}

    static Result run(SSLContext server, SSLContext client, List<String> allowedDns) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<ServerSide> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    String dn = GnutlsDn.of(TlsPeers.checkClient(s.getSession(), allowedDns).getSubjectX500Principal());
                    TlsConfirmation.send(s.getOutputStream());
                    s.getInputStream().read(); // the client's goodbye
                    return new ServerSide(dn, null);
                } catch (TlsException e) {
                    return new ServerSide(null, e.getMessage());
                } catch (Exception e) {
                    return new ServerSide(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            });
            ClientSide c;
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), 10_000);
                s.setSoTimeout(10_000);
                s.startHandshake();
                String dn = GnutlsDn.of(TlsPeers.checkServer(s.getSession(), "127.0.0.1").getSubjectX500Principal());
                TlsConfirmation.await(s.getInputStream());
                c = new ClientSide(dn, null);
            } catch (TlsException e) {
                c = new ClientSide(null, e.getMessage());
            } catch (Exception e) {
                c = new ClientSide(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return new Result(served.get(20, TimeUnit.SECONDS), c);
        }
    }
}
