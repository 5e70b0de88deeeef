package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Frames;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.Programs;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrWriter;

/**
 * A daemon that completes the handshake (no auth, every feature asked: yes) and then never
 * answers anything again, keepalive PINGs included: what a hung or unreachable peer looks like.
 */
final class SilentDaemon implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final AtomicInteger pingsSeen = new AtomicInteger();
    private final Thread thread = new Thread(this::serve, "silent-daemon");

    SilentDaemon() throws IOException {
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (Frame f; (f = Frames.read(in)) != null; ) {
                if (f.header().program() == Programs.KEEPALIVE) {
                    pingsSeen.incrementAndGet();
                    continue;
                }
                XdrWriter ret = new XdrWriter();
                switch (f.header().procedure()) {
                    case RemoteProcedure.AUTH_LIST -> ret.writeInt(1).writeInt(0);
                    case RemoteProcedure.CONNECT_SUPPORTS_FEATURE -> ret.writeInt(1);
                    case RemoteProcedure.CONNECT_OPEN -> { }
                    default -> {
                        continue; // silence from here on
                    }
                }
                out.write(Frames.encode(f.header().answer(MessageType.REPLY, MessageType.STATUS_OK), ret));
                out.flush();
            }
        } catch (IOException e) {
            // the client hung up
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
