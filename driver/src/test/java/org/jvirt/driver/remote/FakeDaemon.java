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
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.Programs;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrWriter;

/**
 * A scripted daemon for what libvirtd's test driver cannot show (a hung peer, a console
 * stream): it completes the handshake (no auth, every feature asked: yes), counts keepalive
 * PINGs without answering them, and hands every other frame to its script; a frame the script
 * leaves alone gets no answer at all.
 */
final class FakeDaemon implements AutoCloseable {

    /** What the daemon does with a frame after the handshake. */
    interface Script {
        void on(Frame f, FakeDaemon d) throws IOException;
    }

    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Script script;
    final AtomicInteger pingsSeen = new AtomicInteger();
    private OutputStream out;
    private final Thread thread = new Thread(this::serve, "fake-daemon");

    FakeDaemon(Script script) throws IOException {
        this.script = script;
        thread.setDaemon(true);
        thread.start();
    }

    /** A daemon that never answers anything after the handshake. */
    static FakeDaemon silent() throws IOException {
        return new FakeDaemon((f, d) -> { });
    }

    int port() {
        return server.getLocalPort();
    }

    String uri() {
        return "test+tcp://127.0.0.1:" + port() + "/default";
    }

    synchronized void send(MessageHeader h, XdrWriter payload) throws IOException {
        out.write(payload == null ? Frames.encode(h) : Frames.encode(h, payload));
        out.flush();
    }

    synchronized void sendRaw(MessageHeader h, byte[] data) throws IOException {
        out.write(Frames.encode(h, data, 0, data.length));
        out.flush();
    }

    private void serve() {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            out = s.getOutputStream();
            for (Frame f; (f = Frames.read(in)) != null; ) {
                if (f.header().program() == Programs.KEEPALIVE) {
                    pingsSeen.incrementAndGet();
                    continue;
                }
                XdrWriter ret = new XdrWriter();
                switch (f.header().procedure()) {
                    case RemoteProcedure.AUTH_LIST -> ret.writeInt(1).writeInt(0);
                    case RemoteProcedure.CONNECT_SUPPORTS_FEATURE -> ret.writeInt(1);
                    case RemoteProcedure.CONNECT_OPEN, RemoteProcedure.CONNECT_CLOSE -> { }
                    default -> {
                        script.on(f, this);
                        continue;
                    }
                }
                send(f.header().answer(MessageType.REPLY, MessageType.STATUS_OK), ret);
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
