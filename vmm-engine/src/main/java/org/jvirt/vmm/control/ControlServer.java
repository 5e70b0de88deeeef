package org.jvirt.vmm.control;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jvirt.vmm.access.PeerCredentials;
import org.jvirt.vmm.access.PrivateSocket;

/**
 * The per-VM control socket, QMP-style: a unix socket, one JSON object per line. The server
 * greets with {"QMP": {...}}; a client sends {"execute": "qmp_capabilities"} first, then
 * commands (query-status, query-chardev, query-blockstats, stop, cont, system_powerdown, system_reset, quit,
 * jvirt-save {"file": ABSOLUTE_PATH, "domain-xml": XML, "running": BOOL},
 * jvirt-snapshot {"file": ABSOLUTE_PATH, "domain-xml": XML, "name": NAME}, jvirt-snapshot-delete {"name": NAME}), each answered
 * by {"return": ...} or {"error": {"class": ..., "desc": ...}}; events ({"event": NAME,
 * "timestamp": {...}}) go to every client that has negotiated. Lines over 64 KiB are refused.
 *
 * <p>Access: the socket file is 0600 whatever the umask ({@link PrivateSocket}), and every
 * connection's SO_PEERCRED is checked before the greeting: a uid other than the VMM's own and
 * root is closed at once and logged in one line ({@link PeerCredentials}).
 */
public final class ControlServer implements AutoCloseable {

    private static final int MAX_LINE = 64 * 1024;

    private final Path socketPath;
    private final ControlTarget target;
    private final ServerSocketChannel server;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final PeerCredentials peers;
    private final Consumer<String> log;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path socketPath, ControlTarget target, ServerSocketChannel server,
                          PeerCredentials peers, Consumer<String> log) {
        this.socketPath = socketPath;
        this.target = target;
        this.server = server;
        this.peers = peers;
        this.log = log;
        this.acceptor = new Thread(this::acceptLoop, "control-accept");
        this.acceptor.setDaemon(true);
    }

    /** Binds socketPath (replacing a stale socket file) and starts serving; refusals are logged on stderr. */
    public static ControlServer start(Path socketPath, ControlTarget target) throws IOException {
        return start(socketPath, target, System.err::println);
    }

    /** The same, with refused connections reported to log (one line each). */
    public static ControlServer start(Path socketPath, ControlTarget target, Consumer<String> log) throws IOException {
        PeerCredentials peers = PeerCredentials.ofThisProcess();
        ServerSocketChannel ch = PrivateSocket.bind(socketPath, 0);
        ControlServer s = new ControlServer(socketPath, target, ch, peers, log);
        s.acceptor.start();
        return s;
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Sends an event (STOP, RESUME, SHUTDOWN, RESET, POWERDOWN ...) to every negotiated client. */
    public void emit(String event, Map<String, Object> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        if (data != null && !data.isEmpty()) m.put("data", data);
        long now = System.currentTimeMillis();
        m.put("timestamp", Map.of("seconds", now / 1000, "microseconds", (now % 1000) * 1000));
        String line = Json.write(m);
        for (Session s : sessions) if (s.negotiated) s.send(line);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                String refused = peers.refusal(c);
                if (refused != null) {
                    try { c.close(); } catch (IOException ignored) { }
                    log.accept("control socket " + socketPath + ": " + refused);
                    continue;
                }
                Session s = new Session(c);
                sessions.add(s);
                Thread t = new Thread(s::serve, "control-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) continue;
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try { server.close(); } catch (IOException ignored) { }
        for (Session s : sessions) s.close();
        try { Files.deleteIfExists(socketPath); } catch (IOException ignored) { }
    }

    private final class Session {
        private final SocketChannel channel;
        private final LineChannel lines;
        private volatile boolean negotiated;
        private Runnable afterReply;

        Session(SocketChannel channel) {
            this.channel = channel;
            this.lines = new LineChannel(channel, MAX_LINE);
        }

        void serve() {
            try {
                send(Json.write(Map.of("QMP", Map.of(
                        "version", Map.of("package", "jvirt", "qemu", Map.of("major", 0, "minor", 1, "micro", 0)),
                        "capabilities", List.of()))));
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) continue;
                    String reply = handle(line);
                    send(reply);
                    Runnable then = afterReply;
                    afterReply = null;
                    if (then != null) then.run(); // e.g. ending the VM once a save is answered
                }
            } catch (IOException ignored) {
                // client went away
            } finally {
                close();
            }
        }

        private String handle(String line) {
            Map<String, Object> request;
            try {
                request = Json.parseObject(line);
            } catch (IllegalArgumentException e) {
                return error("GenericError", e.getMessage(), null);
            }
            Object id = request.get("id");
            Object cmd = request.get("execute");
            if (!(cmd instanceof String command)) return error("GenericError", "missing 'execute'", id);
            if (!negotiated && !command.equals("qmp_capabilities"))
                return error("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'", id);
            try {
                Object result = switch (command) {
                    case "qmp_capabilities" -> { negotiated = true; yield Map.of(); }
                    case "query-status" -> {
                        String st = target.status();
                        yield Map.of("status", st, "running", st.equals("running"), "singlestep", false);
                    }
                    case "stop" -> { target.pause(); yield Map.of(); }
                    case "cont" -> { target.resume(); yield Map.of(); }
                    case "system_powerdown" -> { target.powerdown(); yield Map.of(); }
                    case "system_reset" -> { target.reset(); yield Map.of(); }
                    case "quit" -> { target.quit(); yield Map.of(); }
                    case "jvirt-save" -> {
                        Map<?, ?> args = request.get("arguments") instanceof Map<?, ?> a ? a : Map.of();
                        if (!(args.get("file") instanceof String file) || !file.startsWith("/"))
                            throw new IllegalArgumentException("jvirt-save needs an absolute 'file'");
                        Object xml = args.get("domain-xml");
                        afterReply = target.saveAndStop(java.nio.file.Path.of(file), xml instanceof String x ? x : null,
                                args.get("running") instanceof Boolean b ? b : null);
                        yield Map.of();
                    }
                    case "jvirt-snapshot" -> {
                        Map<?, ?> args = request.get("arguments") instanceof Map<?, ?> a ? a : Map.of();
                        if (!(args.get("file") instanceof String file) || !file.startsWith("/"))
                            throw new IllegalArgumentException("jvirt-snapshot needs an absolute 'file'");
                        if (!(args.get("name") instanceof String name) || name.isEmpty())
                            throw new IllegalArgumentException("jvirt-snapshot needs a 'name'");
                        Object xml = args.get("domain-xml");
                        target.snapshot(java.nio.file.Path.of(file), xml instanceof String x ? x : null, name);
                        yield Map.of();
                    }
                    case "jvirt-snapshot-delete" -> {
                        Map<?, ?> args = request.get("arguments") instanceof Map<?, ?> a ? a : Map.of();
                        if (!(args.get("name") instanceof String name) || name.isEmpty())
                            throw new IllegalArgumentException("jvirt-snapshot-delete needs a 'name'");
                        target.deleteSnapshot(name);
                        yield Map.of();
                    }
                    case "query-chardev" -> target.chardevs();
                    case "query-blockstats" -> target.blockstats();
                    default -> null;
                };
                if (result == null) return error("CommandNotFound", "The command " + command + " has not been found", id);
                return ok(result, id);
            } catch (Exception e) {
                return error("GenericError", e.getMessage() == null ? e.toString() : e.getMessage(), id);
            }
        }

        synchronized void send(String line) {
            try {
                lines.writeLine(line);
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            sessions.remove(this);
            try { channel.close(); } catch (IOException ignored) { }
        }
    }

    private static String ok(Object result, Object id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("return", result);
        if (id != null) m.put("id", id);
        return Json.write(m);
    }

    private static String error(String cls, String desc, Object id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", Map.of("class", cls, "desc", desc));
        if (id != null) m.put("id", id);
        return Json.write(m);
    }
}
