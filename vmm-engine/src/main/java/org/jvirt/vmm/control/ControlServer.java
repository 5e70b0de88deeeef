package org.jvirt.vmm.control;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jvirt.vmm.access.PeerCredentials;
import org.jvirt.vmm.access.PrivateSocket;
import org.jvirt.vmm.protocol.Ack;
import org.jvirt.vmm.protocol.BlockStatsList;
import org.jvirt.vmm.protocol.Chardevs;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ErrorInfo;
import org.jvirt.vmm.protocol.Event;
import org.jvirt.vmm.protocol.LineChannel;
import org.jvirt.vmm.protocol.ProtocolCodec;
import org.jvirt.vmm.protocol.StatusInfo;

/**
 * The per-VM control socket, QMP-style: a unix socket, one JSON object per line, in the typed
 * messages of vmm-protocol ({@link Command}, {@link Event}, {@link ProtocolCodec}). The server
 * greets with {"QMP": {...}}; a client sends qmp_capabilities first, then commands, each
 * answered by {"return": ...} or {"error": {"class": ..., "desc": ...}}; events go to every
 * client that has negotiated. Lines over 64 KiB are refused.
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
    public void emit(Event event) {
        String line = ProtocolCodec.eventLine(event, System.currentTimeMillis());
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
                send(ProtocolCodec.greeting());
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
            ProtocolCodec.Request request;
            try {
                request = ProtocolCodec.decodeRequest(line);
            } catch (ProtocolCodec.ProtocolException e) {
                return ProtocolCodec.errorLine(new ErrorInfo(e.errorClass(), e.getMessage()), null);
            }
            Command<?> command = request.command();
            if (!negotiated && !(command instanceof Command.QmpCapabilities))
                return ProtocolCodec.errorLine(new ErrorInfo(ErrorInfo.COMMAND_NOT_FOUND,
                        "Expecting capabilities negotiation with 'qmp_capabilities'"), request.id());
            try {
                return ProtocolCodec.returnLine(run(command), request.id());
            } catch (ControlError e) {
                return ProtocolCodec.errorLine(new ErrorInfo(e.errorClass(), e.getMessage()), request.id());
            } catch (Exception e) {
                return ProtocolCodec.errorLine(new ErrorInfo(ErrorInfo.GENERIC,
                        e.getMessage() == null ? e.toString() : e.getMessage()), request.id());
            }
        }

        /** The command's reply (Java 17 has no pattern switch: an instanceof chain over the sealed Command). */
        private Object run(Command<?> command) throws Exception {
            if (command instanceof Command.QmpCapabilities) {
                negotiated = true;
                return new Ack();
            }
            if (command instanceof Command.QueryStatus) return StatusInfo.of(target.status());
            if (command instanceof Command.QueryChardev) return new Chardevs(target.chardevs());
            if (command instanceof Command.QueryBlockstats) return new BlockStatsList(target.blockstats());
            if (command instanceof Command.QueryJvirtJob) return target.job();
            if (command instanceof Command.QueryVnc) return target.queryVnc();
            if (command instanceof Command.Balloon c) return BalloonCommands.balloon(target.balloon(), c);
            if (command instanceof Command.QueryBalloon) return BalloonCommands.query(target.balloon());
            if (command instanceof Command.QomGet c) return BalloonCommands.qomGet(target.balloon(), c);
            if (command instanceof Command.QomSet c) return BalloonCommands.qomSet(target.balloon(), c);
            if (command instanceof Command.Stop) target.pause();
            else if (command instanceof Command.Cont) target.resume();
            else if (command instanceof Command.SystemPowerdown) afterReply = target::powerdown; // the guest may end the VM at once
            else if (command instanceof Command.SystemReset) target.reset();
            else if (command instanceof Command.Quit) afterReply = target::quit; // answered before the process ends, as QEMU does
            else if (command instanceof Command.JvirtSave c) afterReply = target.saveAndStop(Path.of(c.file()), c.domainXml(), c.running(),
                    Boolean.TRUE.equals(c.bypassCache()));
            else if (command instanceof Command.JvirtSnapshot c) target.snapshot(Path.of(c.file()), c.domainXml(), c.name());
            else if (command instanceof Command.JvirtSnapshotDelete c) target.deleteSnapshot(c.name());
            else if (command instanceof Command.JvirtLoadSnapshot c) target.loadSnapshot(Path.of(c.file()), c.name(), c.running());
            else if (command instanceof Command.JvirtMigrate c) {
                return target.migrate(c);
            }
            else if (command instanceof Command.JvirtMigrateCancel) target.cancelMigration();
            else if (command instanceof Command.Eject c) target.eject(c.device(), c.force());
            else if (command instanceof Command.BlockdevChangeMedium c) target.changeMedium(c.device(), c.filename(), c.format(), c.force());
            else if (command instanceof Command.SetLink c) target.setLink(c.name(), c.up());
            else if (command instanceof Command.Screendump c) target.screendump(c.filename());
            else if (command instanceof Command.SetPassword c) target.setPassword(c.protocol(), c.password(), c.connected());
            else if (command instanceof Command.ExpirePassword c) target.expirePassword(c.protocol(), c.time());
            else if (command instanceof Command.SendKey c) target.sendKey(keyNumbers(c), c.holdTime() == null ? 0 : c.holdTime()); // 0: KeyEventQueue's default, QEMU's 10 ms
            else if (command instanceof Command.JvirtSnapshotExternal c) {
                target.snapshotExternal(c.disks(), c.memoryFile() == null ? null : Path.of(c.memoryFile()), c.domainXml());
            }
            else throw new IllegalStateException("command " + command.execute() + " is not served");
            return new Ack();
        }

        /** send-key's keys as QEMU key numbers; only QMP's "number" form is served. */
        private static java.util.List<Integer> keyNumbers(Command.SendKey c) {
            // QEMU 7.2 takes an empty list (and numbers it maps to no key) and does nothing with them
            if (c.keys() == null) throw new IllegalArgumentException("Parameter 'keys' is missing");
            for (Command.SendKey.KeyValue k : c.keys()) {
                if (!"number".equals(k.type())) throw new IllegalArgumentException("key type '" + k.type() + "' is not supported (number)");
            }
            return c.keys().stream().map(Command.SendKey.KeyValue::data).toList();
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
}
