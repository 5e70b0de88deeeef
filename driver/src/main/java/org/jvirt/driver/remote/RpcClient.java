package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Frames;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.Programs;
import org.jvirt.rpc.RemoteError;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;

/**
 * One connection's RPC client (libvirt's virNetClient): calls of the REMOTE program with
 * increasing serials from any number of threads, replies matched by serial by one reader
 * thread, which also answers keepalive PINGs and hands events and stream data on.
 */
final class RpcClient implements AutoCloseable {
    private final Link link;
    private final AtomicInteger serials = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, StreamSink> streams = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private final Thread reader;
    private volatile Consumer<Frame> events = f -> { };
    private volatile LibvirtException closedBecause;
    private volatile boolean closing;
    private volatile Keepalive keepalive;
    private volatile Runnable lost;

    RpcClient(Link link) {
        this.link = link;
        this.reader = new Thread(this::readLoop, "jvirt-rpc-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs once when the connection breaks (the daemon hung up or failed), not when it is closed. */
    void onLost(Runnable r) {
        lost = r;
    }

    /** Where MESSAGE frames of the REMOTE program (events) go; called on the reader thread. */
    void onEvent(Consumer<Frame> handler) {
        events = handler;
    }

    /**
     * Pings the daemon after intervalSeconds of silence; count unanswered pings drop the
     * connection. An interval of 0 or less stops pinging (PINGs from the daemon are still answered).
     */
    synchronized void setKeepalive(int intervalSeconds, int count) {
        Keepalive old = keepalive;
        if (old != null) old.stop();
        keepalive = intervalSeconds > 0 && closedBecause == null ? new Keepalive(this, intervalSeconds, count) : null;
    }

    boolean isSecure() {
        return link.isSecure();
    }

    boolean isOpen() {
        return closedBecause == null;
    }

    /** Calls proc with args (null: none) and decodes its reply, or throws the daemon's error. */
    <T> T call(int proc, XdrWriter args, ReplyDecoder<T> decoder) throws LibvirtException {
        return decode(proc, await(send(proc, args, null)), decoder);
    }

    /**
     * Calls a procedure that opens a stream: sink gets the stream's frames, registered before
     * the call goes out so that no frame can be missed. Returns the call's serial.
     */
    int callWithStream(int proc, XdrWriter args, StreamSink sink) throws LibvirtException {
        return callWithStream(proc, args, sink, ReplyDecoder.NONE).serial();
    }

    /** A stream-opening call's serial (the stream's) and decoded reply. */
    record StreamCall<T>(int serial, T value) { }

    <T> StreamCall<T> callWithStream(int proc, XdrWriter args, StreamSink sink, ReplyDecoder<T> decoder) throws LibvirtException {
        int serial = serials.getAndIncrement();
        streams.put(serial, sink);
        try {
            return new StreamCall<>(serial, decode(proc, await(send(proc, args, serial)), decoder));
        } catch (LibvirtException e) {
            streams.remove(serial);
            throw e;
        }
    }

    /** Sends one STREAM frame of the call (proc, serial): data (CONTINUE), finish (OK) or abort (ERROR). */
    void sendStream(int proc, int serial, int status, byte[] data, int off, int len) throws LibvirtException {
        MessageHeader h = new MessageHeader(Programs.REMOTE, Programs.REMOTE_VERSION, proc, MessageType.STREAM, serial, status);
        write(Frames.encode(h, data, off, len));
    }

    void endStream(int serial) {
        streams.remove(serial);
    }

    private CompletableFuture<Frame> send(int proc, XdrWriter args, Integer fixedSerial) throws LibvirtException {
        int serial = fixedSerial != null ? fixedSerial : serials.getAndIncrement();
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        pending.put(serial, reply);
        LibvirtException gone = closedBecause;
        if (gone != null) {
            pending.remove(serial);
            throw gone;
        }
        MessageHeader h = new MessageHeader(Programs.REMOTE, Programs.REMOTE_VERSION, proc, MessageType.CALL, serial, MessageType.STATUS_OK);
        try {
            write(args == null ? Frames.encode(h) : Frames.encode(h, args));
        } catch (LibvirtException e) {
            pending.remove(serial);
            throw e;
        }
        return reply;
    }

    private static Frame await(CompletableFuture<Frame> reply) throws LibvirtException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return reply.get();
                } catch (InterruptedException e) {
                    interrupted = true; // a call in flight cannot be taken back: wait for its answer
                } catch (ExecutionException e) {
                    throw (LibvirtException) e.getCause();
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static <T> T decode(int proc, Frame reply, ReplyDecoder<T> decoder) throws LibvirtException {
        XdrReader r = reply.reader();
        try {
            if (reply.header().status() == MessageType.STATUS_ERROR) {
                throw RemoteErrors.toException(RemoteError.decode(r));
            }
            T value = decoder.decode(r);
            r.expectEnd(procName(proc) + " reply");
            return value;
        } catch (XdrException e) {
            throw RemoteErrors.rpc("Unable to decode message payload: " + e.getMessage());
        }
    }

    private static String procName(int proc) {
        String name = RemoteProcedure.name(proc);
        return name != null ? name : "procedure " + proc;
    }

    void sendKeepalive(int proc) {
        try {
            write(Frames.encode(new MessageHeader(Programs.KEEPALIVE, Programs.KEEPALIVE_VERSION, proc, MessageType.MESSAGE, 0,
                    MessageType.STATUS_OK)));
        } catch (LibvirtException e) {
            // the connection is already marked closed
        }
    }

    private void write(byte[] frame) throws LibvirtException {
        LibvirtException gone = closedBecause;
        if (gone != null) throw gone;
        synchronized (writeLock) {
            try {
                link.out().write(frame);
                link.out().flush();
            } catch (IOException e) {
                fail(link.writeError(e));
                throw closedBecause;
            }
        }
    }

    private void readLoop() {
        InputStream in = link.in();
        try {
            while (true) {
                Frame f = Frames.read(in);
                if (f == null) break;
                Keepalive k = keepalive;
                if (k != null) k.received();
                dispatch(f);
            }
            fail(endOfFile());
        } catch (Frames.BadFrameException e) {
            fail(RemoteErrors.rpc(e.getMessage()));
        } catch (IOException e) {
            fail(closing ? closedError() : endOfFile());
        } catch (RuntimeException e) {
            // never leave callers waiting on a reader that died
            fail(RemoteErrors.internal("the connection's reader failed: " + e));
        }
    }

    private void dispatch(Frame f) {
        MessageHeader h = f.header();
        if (h.program() == Programs.KEEPALIVE) {
            if (h.procedure() == Programs.KEEPALIVE_PING) sendKeepalive(Programs.KEEPALIVE_PONG);
            return; // a PONG only proves the peer alive, which received() noted
        }
        if (h.program() != Programs.REMOTE) return;
        switch (h.type()) {
            case MessageType.REPLY -> {
                CompletableFuture<Frame> reply = pending.remove(h.serial());
                if (reply != null) reply.complete(f);
            }
            case MessageType.MESSAGE -> events.accept(f);
            case MessageType.STREAM -> {
                StreamSink sink = streams.get(h.serial());
                if (sink != null) sink.onFrame(f); // frames of an unknown stream are dropped, as libvirt does
            }
            default -> { }
        }
    }

    /** What libvirt says when the daemon hangs up (an ssh link words it from ssh's end). */
    private LibvirtException endOfFile() {
        return link.hangUpError();
    }

    private static LibvirtException closedError() {
        return RemoteErrors.internal("client socket is closed");
    }

    /** Marks the connection dead: every waiting call and open stream gets why. */
    void fail(LibvirtException why) {
        synchronized (this) {
            if (closedBecause != null) return;
            closedBecause = why;
        }
        Keepalive k = keepalive;
        if (k != null) k.stop();
        for (Integer serial : pending.keySet()) {
            CompletableFuture<Frame> reply = pending.remove(serial);
            if (reply != null) reply.completeExceptionally(why);
        }
        for (StreamSink sink : streams.values()) sink.onClosed(why);
        streams.clear();
        try {
            link.close();
        } catch (IOException ignored) {
            // closing a broken link
        }
        Runnable r = lost;
        if (r != null && !closing) r.run();
    }

    @Override
    public void close() {
        closing = true;
        fail(closedError());
        if (Thread.currentThread() != reader) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
