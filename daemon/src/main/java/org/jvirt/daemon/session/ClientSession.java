package org.jvirt.daemon.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.jvirt.daemon.log.Level;
import org.jvirt.daemon.log.LogSink;
import org.jvirt.daemon.transport.Transport;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Frames;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.Programs;
import org.jvirt.rpc.RemoteError;
import org.jvirt.rpc.XdrWriter;

/**
 * One client connection: a reader thread that takes frames off the wire, answers keepalive,
 * feeds stream data to its stream and hands calls to the worker pool (at most
 * {@link #MAX_CLIENT_REQUESTS} at once, libvirtd's max_client_requests: past that the reader
 * stops reading, which is the protocol's only back-pressure); replies, events and stream data
 * go out through the {@link Outbox}.
 */
public final class ClientSession {
    /** libvirtd's default max_client_requests. */
    public static final int MAX_CLIENT_REQUESTS = 5;
    private static final int VIR_ERR_RPC = 39;
    private static final int VIR_FROM_RPC = 7;

    private final Transport transport;
    private final boolean readOnlySocket;
    private final CallHandler handler;
    private final ExecutorService workers;
    private final Runnable onClose;
    private final Semaphore slots = new Semaphore(MAX_CLIENT_REQUESTS);
    private final Map<Long, StreamSink> streams = new ConcurrentHashMap<>();
    private Outbox outbox;
    private volatile boolean closed;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean keepaliveWanted;
    private volatile int pingsUnanswered;
    /** What the procedures keep per session (the open driver connection, event callbacks...). */
    private volatile Object state;

    private final LogSink log;

    public ClientSession(Transport transport, boolean readOnlySocket, CallHandler handler, ExecutorService workers, LogSink log,
                         Runnable onClose) {
        this.transport = transport;
        this.log = log;
        this.readOnlySocket = readOnlySocket;
        this.handler = handler;
        this.workers = workers;
        this.onClose = onClose;
    }

    /** Starts the reader and writer threads. */
    public void start() throws IOException {
        outbox = new Outbox(transport.output(), this::close);
        InputStream in = transport.input();
        Thread w = new Thread(outbox::drain, "jvirtd-tx " + transport.describe());
        w.setDaemon(true);
        w.start();
        Thread r = new Thread(() -> readLoop(in), "jvirtd-rx " + transport.describe());
        r.setDaemon(true);
        r.start();
    }

    public boolean readOnlySocket() { return readOnlySocket; }

    public boolean secure() { return transport.secure(); }

    public String describe() { return transport.describe(); }

    public Object state() { return state; }

    public void setState(Object s) { state = s; }

    public boolean isClosed() { return closed; }

    private void readLoop(InputStream in) {
        try {
            while (!closed) {
                Frame f = Frames.read(in);
                if (f == null) break;
                lastHeard = System.nanoTime();
                pingsUnanswered = 0;
                if (!dispatch(f)) break;
            }
        } catch (Frames.BadFrameException e) {
            log.log(Level.ERROR, "closing " + transport.describe() + ": " + e.getMessage());
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /** false: a protocol violation that ends the connection. */
    private boolean dispatch(Frame f) throws InterruptedException {
        MessageHeader h = f.header();
        if (h.program() == Programs.KEEPALIVE) {
            if (h.type() != MessageType.MESSAGE) return false;
            if (h.procedure() == Programs.KEEPALIVE_PING) {
                send(Frames.encode(new MessageHeader(Programs.KEEPALIVE, Programs.KEEPALIVE_VERSION, Programs.KEEPALIVE_PONG,
                        MessageType.MESSAGE, 0, MessageType.STATUS_OK)));
            }
            return true;
        }
        if (h.program() != Programs.REMOTE || h.version() != Programs.REMOTE_VERSION) {
            if (h.type() == MessageType.CALL || h.type() == MessageType.CALL_WITH_FDS) {
                replyError(h, RemoteError.of(VIR_ERR_RPC, VIR_FROM_RPC,
                        "Cannot find program " + h.program() + " version " + h.version()));
                return true;
            }
            return h.type() == MessageType.STREAM; // stray stream data is dropped, as libvirtd does
        }
        switch (h.type()) {
            case MessageType.CALL -> {
                if (h.status() != MessageType.STATUS_OK) {
                    replyError(h, RemoteError.of(VIR_ERR_RPC, VIR_FROM_RPC, "Unexpected message status " + h.status()));
                    return true;
                }
                slots.acquire();
                try {
                    workers.execute(() -> {
                        try {
                            handler.call(this, f);
                        } finally {
                            slots.release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    slots.release();
                    return false; // the daemon is shutting down
                }
                return true;
            }
            case MessageType.CALL_WITH_FDS -> {
                replyError(h, RemoteError.of(VIR_ERR_RPC, VIR_FROM_RPC, "Unable to decode number of FDs: file descriptor passing is not supported"));
                return true;
            }
            case MessageType.STREAM -> {
                streamFrame(f);
                return true;
            }
            default -> {
                log.log(Level.ERROR, "closing " + transport.describe() + ": Unexpected message type " + h.type());
                return false;
            }
        }
    }

    private static long streamKey(int proc, int serial) {
        return ((long) proc << 32) | (serial & 0xffffffffL);
    }

    /** Binds a stream to the call that opened it (before the call's reply is sent). */
    public void openStream(MessageHeader call, StreamSink sink) {
        streams.put(streamKey(call.procedure(), call.serial()), sink);
    }

    /** The stream ends on the daemon's side (no more frames for it are accepted). */
    public void forgetStream(MessageHeader call) {
        streams.remove(streamKey(call.procedure(), call.serial()));
    }

    private void streamFrame(Frame f) {
        MessageHeader h = f.header();
        StreamSink sink = streams.get(streamKey(h.procedure(), h.serial()));
        if (sink == null) return; // data after a stream ended: dropped, as libvirtd does
        switch (h.status()) {
            case MessageType.STATUS_CONTINUE -> sink.data(f.payload());
            case MessageType.STATUS_OK, MessageType.STATUS_ERROR -> {
                streams.remove(streamKey(h.procedure(), h.serial()));
                sink.end(h.status() == MessageType.STATUS_ERROR);
                // confirm the finish or abort: an empty STREAM OK
                send(Frames.encode(h.answer(MessageType.STREAM, MessageType.STATUS_OK)));
            }
            default -> { }
        }
    }

    /** Sends stream data (empty: end of data); waits while much is queued (the stream's flow control). */
    public boolean streamData(MessageHeader call, byte[] data, int off, int len) throws InterruptedException {
        if (!outbox.awaitBelow(4L * org.jvirt.rpc.Limits.STREAM_CHUNK)) return false;
        return send(Frames.encode(call.answer(MessageType.STREAM, MessageType.STATUS_CONTINUE), data, off, len));
    }

    /** A stream failed on the daemon's side: STREAM ERROR with the error, and the stream is over. */
    public void streamError(MessageHeader call, RemoteError e) {
        forgetStream(call);
        XdrWriter w = new XdrWriter();
        e.encode(w);
        send(Frames.encode(call.answer(MessageType.STREAM, MessageType.STATUS_ERROR), w));
    }

    public void reply(MessageHeader call, XdrWriter ret) {
        send(Frames.encode(call.answer(MessageType.REPLY, MessageType.STATUS_OK), ret));
    }

    public void replyError(MessageHeader call, RemoteError e) {
        XdrWriter w = new XdrWriter();
        e.encode(w);
        send(Frames.encode(call.answer(MessageType.REPLY, MessageType.STATUS_ERROR), w));
    }

    /** An unsolicited message (an event): prog REMOTE, type MESSAGE, serial 1 as libvirtd sends them. */
    public void message(int procedure, XdrWriter payload) {
        send(Frames.encode(new MessageHeader(Programs.REMOTE, Programs.REMOTE_VERSION, procedure, MessageType.MESSAGE, 1,
                MessageType.STATUS_OK), payload));
    }

    /** Queues a frame; a client too far behind is disconnected. */
    public boolean send(byte[] frame) {
        if (closed) return false;
        if (outbox.offer(frame)) return true;
        if (!closed) log.log(Level.WARNING, "closing " + transport.describe() + ": the client does not read its replies");
        close();
        return false;
    }

    /** The client asked for keepalive (feature PROGRAM_KEEPALIVE): the daemon pings it when idle. */
    public void wantKeepalive() {
        keepaliveWanted = true;
    }

    /**
     * Called every second by the daemon: after interval seconds of silence a PING; after count
     * unanswered intervals the connection is dropped (libvirtd's keepalive).
     */
    public void keepaliveTick(int interval, int count) {
        if (!keepaliveWanted || closed || interval <= 0) return;
        long silentSeconds = (System.nanoTime() - lastHeard) / 1_000_000_000L;
        if (silentSeconds < (long) interval * (pingsUnanswered + 1)) return;
        if (pingsUnanswered >= count) {
            log.log(Level.WARNING, "closing " + transport.describe() + ": No response from client after " + count + " keepalive messages in "
                    + (long) interval * count + " seconds");
            close();
            return;
        }
        pingsUnanswered++;
        send(Frames.encode(new MessageHeader(Programs.KEEPALIVE, Programs.KEEPALIVE_VERSION, Programs.KEEPALIVE_PING,
                MessageType.MESSAGE, 0, MessageType.STATUS_OK)));
    }

    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        if (outbox != null) {
            // let the last replies out (CONNECT_CLOSE's) before the socket goes
            try {
                outbox.awaitDrained(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            outbox.close();
        }
        transport.close();
        for (StreamSink s : streams.values()) s.end(true);
        streams.clear();
        try {
            handler.closed(this);
        } finally {
            onClose.run();
        }
    }
}
