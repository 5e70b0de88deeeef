package org.jvirt.vmm.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client of a VM's control socket: connects, reads the greeting, negotiates, then runs
 * commands one at a time. Events arrive on a reader thread and go to the listener.
 */
public final class ControlClient implements AutoCloseable {

    /** A command the VM refused, with QMP's error class and description. */
    public static final class CommandFailed extends IOException {
        private final String errorClass;

        CommandFailed(String errorClass, String desc) {
            super(desc);
            this.errorClass = errorClass;
        }

        public String errorClass() {
            return errorClass;
        }
    }

    private final SocketChannel channel;
    private final LineChannel lines;
    private final BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private volatile Consumer<Map<String, Object>> eventListener = e -> { };
    private volatile boolean closed;

    private ControlClient(SocketChannel channel, Duration timeout) {
        this.channel = channel;
        this.lines = new LineChannel(channel, 1 << 20);
        this.timeout = timeout;
    }

    /** Connects and negotiates; fails if the server does not greet within timeout. */
    public static ControlClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        ControlClient c = new ControlClient(ch, timeout);
        Thread reader = new Thread(c::readLoop, "control-client-reader");
        reader.setDaemon(true);
        reader.start();
        Map<String, Object> greeting = c.next();
        if (!greeting.containsKey("QMP")) {
            c.close();
            throw new IOException("not a control socket: " + socket);
        }
        c.execute("qmp_capabilities");
        return c;
    }

    public void onEvent(Consumer<Map<String, Object>> listener) {
        this.eventListener = listener;
    }

    /** Runs a command; returns its "return" value or throws CommandFailed. */
    public synchronized Object execute(String command) throws IOException {
        return execute(command, null);
    }

    /** The same with QMP "arguments" (null or empty: none). */
    public synchronized Object execute(String command, Map<String, Object> arguments) throws IOException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) req.put("arguments", arguments);
        lines.writeLine(Json.write(req));
        Map<String, Object> reply = next();
        if (reply.get("error") instanceof Map<?, ?> err)
            throw new CommandFailed(String.valueOf(err.get("class")), String.valueOf(err.get("desc")));
        return reply.get("return");
    }

    private Map<String, Object> next() throws IOException {
        try {
            Map<String, Object> m = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) throw new IOException(closed ? "control socket closed" : "no answer from the VM within " + timeout.toSeconds() + " s");
            if (m.containsKey("__closed")) throw new IOException("control socket closed by the VM");
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
                Map<String, Object> m;
                try {
                    m = Json.parseObject(line);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (m.containsKey("event")) eventListener.accept(m);
                else replies.add(m);
            }
        } catch (IOException ignored) {
            // closed
        } finally {
            closed = true;
            replies.add(Map.of("__closed", true));
        }
    }

    @Override
    public void close() {
        closed = true;
        try { channel.close(); } catch (IOException ignored) { }
    }
}
