package org.jvirt.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Frames;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.Programs;
import org.jvirt.rpc.RemoteError;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrWriter;

/** A client that speaks the protocol frame by frame (what the libvirt libraries never let a test do). */
final class RawClient implements AutoCloseable {
    private final AutoCloseable conn;
    final InputStream in;
    final OutputStream out;
    private int serial;

    private RawClient(AutoCloseable conn, InputStream in, OutputStream out) {
        this.conn = conn;
        this.in = in;
        this.out = out;
    }

    static RawClient tcp(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return new RawClient(s, s.getInputStream(), s.getOutputStream());
    }

    static RawClient unix(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        InputStream in = org.jvirt.rpc.ChannelStreams.input(ch);
        OutputStream out = org.jvirt.rpc.ChannelStreams.output(ch);
        return new RawClient(ch, in, out);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(int program, int proc, int type, int status, XdrWriter payload) throws IOException {
        sendRaw(Frames.encode(new MessageHeader(program, 1, proc, type, serial++, status), payload == null ? new XdrWriter() : payload));
    }

    /** A CALL of the REMOTE program; the reply (skipping keepalive and event messages). */
    Frame call(int proc, XdrWriter args) throws IOException {
        send(Programs.REMOTE, proc, MessageType.CALL, 0, args);
        return nextReply();
    }

    Frame nextReply() throws IOException {
        while (true) {
            Frame f = Frames.read(in);
            if (f == null) return null;
            if (f.header().type() == MessageType.REPLY) return f;
        }
    }

    /** The handshake virsh makes (auth list, keepalive probe, open). */
    void open(String name, int flags) throws Exception {
        call(RemoteProcedure.AUTH_LIST, null);
        call(RemoteProcedure.CONNECT_SUPPORTS_FEATURE, new XdrWriter().writeInt(10));
        Frame f = call(RemoteProcedure.CONNECT_OPEN, new XdrWriter().writeOptionalString(name).writeInt(flags));
        if (f.header().status() != MessageType.STATUS_OK) throw new AssertionError("open failed: " + error(f).message());
    }

    static RemoteError error(Frame f) throws Exception {
        return RemoteError.decode(f.reader());
    }

    @Override
    public void close() throws Exception {
        conn.close();
    }
}
