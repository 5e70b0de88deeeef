package org.jvirt.vmm.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client of a VM's control socket: connects, reads the greeting, negotiates, then runs typed
 * commands one at a time ({@link #call}). Events arrive on a reader thread and go to the event
 * listener; the end of the connection (the VMM exited, was killed) goes to the close listener.
 */
public final class ControlClient implements AutoCloseable {

    /** A command the VM refused, with QMP's error class and description. */
    public static final class CommandFailed extends IOException {
        private final String errorClass;

        public CommandFailed(String errorClass, String desc) {
            super(desc);
            this.errorClass = errorClass;
        }

        public String errorClass() {
            return errorClass;
        }
    }

    private static final ProtocolCodec.Incoming CLOSED = new ProtocolCodec.Incoming.Return(null);

    private final SocketChannel channel;
    private final LineChannel lines;
    private final BlockingQueue<ProtocolCodec.Incoming> replies = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private volatile Consumer<Event> eventListener = e -> { };
    private volatile Runnable closeListener; // null: none yet
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean closeReported = new java.util.concurrent.atomic.AtomicBoolean();

    private ControlClient(SocketChannel channel, Duration timeout) {
        this.channel = channel;
        this.lines = new LineChannel(channel, 1 << 20);
        this.timeout = timeout;
    }

    /** Connects and negotiates; fails if the server does not greet within timeout. */
    public static ControlClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        ControlClient c = new ControlClient(ch, timeout);
        Thread reader = new Thread(c::readLoop, "control-client-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!(c.next() instanceof ProtocolCodec.Incoming.Greeting)) throw new IOException("not a control socket: " + socket);
            c.call(new Command.QmpCapabilities());
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Events from now on go to listener (on the reader thread: it must not block). */
    public void onEvent(Consumer<Event> listener) {
        this.eventListener = listener;
    }

    /** listener runs once when the connection ends (on the reader thread), or at once if it has. */
    public void onClose(Runnable listener) {
        this.closeListener = listener;
        if (closed) reportClose();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Runs a command; returns its typed "return" value or throws CommandFailed. */
    public synchronized <R> R call(Command<R> command) throws IOException {
        lines.writeLine(ProtocolCodec.request(command));
        ProtocolCodec.Incoming reply = next();
        if (reply instanceof ProtocolCodec.Incoming.Failure f)
            throw new CommandFailed(f.error().errorClass(), f.error().desc());
        if (!(reply instanceof ProtocolCodec.Incoming.Return r)) throw new IOException("unexpected answer to " + command.execute());
        try {
            return ProtocolCodec.returnValue(command, r.value());
        } catch (ProtocolCodec.ProtocolException e) {
            throw new IOException("bad answer to " + command.execute() + ": " + e.getMessage());
        }
    }

    private ProtocolCodec.Incoming next() throws IOException {
        try {
            ProtocolCodec.Incoming m = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) throw new IOException(closed ? "control socket closed" : "no answer from the VM within " + timeout.toSeconds() + " s");
            if (m == CLOSED) {
                replies.add(CLOSED); // every later call fails the same way
                throw new IOException("control socket closed by the VM");
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private void readLoop() {
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                ProtocolCodec.Incoming m;
                try {
                    m = ProtocolCodec.incoming(line);
                } catch (ProtocolCodec.ProtocolException e) {
                    continue;
                }
                if (m instanceof ProtocolCodec.Incoming.Notification n) {
                    try {
                        eventListener.accept(n.event());
                    } catch (RuntimeException e) {
                        // a listener's failure must not end the connection
                    }
                } else {
                    replies.add(m);
                }
            }
        } catch (IOException ignored) {
            // closed
        } finally {
            closed = true;
            replies.add(CLOSED);
            reportClose();
        }
    }

    /** Runs the close listener once: whichever of the reader's end and onClose sees both the end and the listener. */
    private void reportClose() {
        Runnable l = closeListener;
        if (l == null || closeReported.getAndSet(true)) return;
        try {
            l.run();
        } catch (RuntimeException ignored) {
            // as for events
        }
    }

    @Override
    public void close() {
        closed = true;
        try { channel.close(); } catch (IOException ignored) { }
    }
}
