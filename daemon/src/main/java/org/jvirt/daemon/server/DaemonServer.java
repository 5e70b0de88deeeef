package org.jvirt.daemon.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jvirt.daemon.dispatch.ProcedureTable;
import org.jvirt.daemon.session.ClientSession;
import org.jvirt.daemon.transport.Listener;
import org.jvirt.daemon.transport.TcpListener;
import org.jvirt.daemon.transport.Transport;
import org.jvirt.daemon.transport.UnixListener;
import org.jvirt.driver.jvirt.DaemonPresence;
import org.jvirt.driver.jvirt.JvirtPaths;

/**
 * The running daemon: its listeners, the sessions of connected clients, the worker pool that
 * runs their calls (max_workers threads) and the keepalive clock. Stopping it closes the
 * listeners and the clients; domains keep running in their own jvirt-vmm processes.
 */
public final class DaemonServer implements AutoCloseable {
    public static final String RW_SOCKET = "libvirt-sock";
    public static final String RO_SOCKET = "libvirt-sock-ro";
    private DaemonPresence presence;

    private final ServerSettings settings;
    private final ProcedureTable procedures;
    private final ExecutorService workers;
    private final ScheduledExecutorService clock;
    private final List<Listener> listeners = new ArrayList<>();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile long lastActivity = System.nanoTime();

    private final List<Listener> inherited;

    private final org.jvirt.daemon.log.LogSink log;

    public DaemonServer(ServerSettings settings) {
        this(settings, List.of(), org.jvirt.daemon.log.LogSink.stderr());
    }

    /**
     * inherited: listeners systemd passed (socket activation); when there are any, they are
     * the daemon's only listeners, as libvirtd then ignores its own socket settings.
     */
    public DaemonServer(ServerSettings settings, List<Listener> inherited, org.jvirt.daemon.log.LogSink log) {
        this.settings = settings;
        this.log = log;
        this.inherited = List.copyOf(inherited);
        this.procedures = new ProcedureTable(new DriverOpener(settings.root(), settings.migration()), log);
        this.workers = Executors.newFixedThreadPool(Math.max(1, settings.maxWorkers()), r -> {
            Thread t = new Thread(r, "jvirtd-worker");
            t.setDaemon(true);
            return t;
        });
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jvirtd-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds every configured listener; fails (and binds nothing more) on the first that cannot. */
    public void start() throws IOException {
        if (!inherited.isEmpty()) {
            listeners.addAll(inherited);
        } else {
            ownListeners();
        }
        for (Listener l : listeners) l.start(this::accepted);
        clock.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        announce();
    }

    /**
     * Tells local jvirt connections of the system root that this daemon serves it, so they take
     * their lifecycle events from its read-only socket instead of watching by themselves.
     */
    private void announce() throws IOException {
        Path ro = settings.unixSocketDir() == null ? null : settings.unixSocketDir().resolve(RO_SOCKET);
        if (ro == null || !Files.exists(ro)) return;
        JvirtPaths root = settings.root() == null ? JvirtPaths.system() : JvirtPaths.embed(settings.root());
        presence = DaemonPresence.announce(root, ro);
    }

    private void ownListeners() {
        if (settings.unixSocketDir() != null) {
            listeners.add(new UnixListener(settings.unixSocketDir().resolve(RW_SOCKET), false, settings.rwPerms(), settings.socketGroup()));
            listeners.add(new UnixListener(settings.unixSocketDir().resolve(RO_SOCKET), true, settings.roPerms(), settings.socketGroup()));
        }
        if (settings.tcpPort() >= 0) listeners.add(new TcpListener(settings.listenAddr(), settings.tcpPort(), null, null, log));
        if (settings.tlsPort() >= 0 && settings.tls() != null) {
            listeners.add(new TcpListener(settings.listenAddr(), settings.tlsPort(), settings.tls(), settings.tlsAllowedDn(), log));
        }
    }

    /** The TCP port bound (for tests binding port 0), or -1. */
    public int tcpPort() {
        for (Listener l : listeners) if (l instanceof TcpListener t && l.describe().startsWith("tcp:")) return t.boundPort();
        return -1;
    }

    public int tlsPort() {
        for (Listener l : listeners) if (l instanceof TcpListener t && l.describe().startsWith("tls:")) return t.boundPort();
        return -1;
    }

    public List<String> describeListeners() {
        return listeners.stream().map(Listener::describe).toList();
    }

    private void accepted(Transport t, boolean readOnly) {
        lastActivity = System.nanoTime();
        if (sessions.size() >= settings.maxClients()) {
            // libvirtd: "Too many active clients (N), dropping connection from ..."
            log.log(org.jvirt.daemon.log.Level.ERROR, "Too many active clients (" + settings.maxClients() + "), dropping connection from " + t.describe());
            t.close();
            return;
        }
        ClientSession[] self = new ClientSession[1];
        ClientSession s = new ClientSession(t, readOnly, procedures, workers, log, () -> {
            sessions.remove(self[0]);
            lastActivity = System.nanoTime();
        });
        self[0] = s;
        sessions.add(s);
        try {
            s.start();
        } catch (IOException e) {
            s.close();
        }
    }

    private void tick() {
        for (ClientSession s : sessions) s.keepaliveTick(settings.keepaliveInterval(), settings.keepaliveCount());
    }

    public int clientCount() {
        return sessions.size();
    }

    /** Seconds since the last client left with none connected (for --timeout), or 0 while any is. */
    public long idleSeconds() {
        return sessions.isEmpty() ? (System.nanoTime() - lastActivity) / 1_000_000_000L : 0;
    }

    @Override
    public void close() {
        if (presence != null) presence.close();
        for (Listener l : listeners) l.close();
        for (ClientSession s : sessions) s.close();
        workers.shutdown();
        clock.shutdownNow();
    }
}
