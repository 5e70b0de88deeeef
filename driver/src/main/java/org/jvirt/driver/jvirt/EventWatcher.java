package org.jvirt.driver.jvirt;

import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.vmm.protocol.ControlClient;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lifecycle events for jvirt URIs. There is no daemon that sees every change, so a watcher
 * thread compares the domains' states (config store, status files, VMM processes: the same
 * truth every client reads) and reports each change as libvirt's event and detail numbers.
 * Changes made by other clients and processes are seen too.
 *
 * <p>What starts a comparison is an event, not a timer: each running domain's VMM is
 * subscribed to on its control socket (STOP, RESUME, SHUTDOWN... and the socket closing, which
 * is how a VMM killed with -9 shows), and the config and run directories are watched (inotify)
 * for the files other clients write (define, undefine, status). After a VMM event the watcher
 * compares every {@value #FAST_MS} ms for up to {@value #SETTLE_MS} ms until that domain's
 * state has changed (the client that caused it may still be writing the status file, a VMM
 * that closed its socket may still be exiting). A comparison every {@value #FALLBACK_MS} ms
 * remains for what nothing signals (e.g. a directory created after the watch started).
 */
final class EventWatcher {

    static final long FALLBACK_MS = 2000, FAST_MS = 20, SETTLE_MS = 3000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    // virDomainEventType and the detail numbers used here (libvirt's libvirt-domain.h)
    static final int DEFINED = 0, UNDEFINED = 1, STARTED = 2, SUSPENDED = 3, RESUMED = 4, STOPPED = 5, SHUTDOWN = 6;
    static final int DEFINED_ADDED = 0, UNDEFINED_REMOVED = 0, STARTED_BOOTED = 0, STARTED_RESTORED = 2, STARTED_FROM_SNAPSHOT = 4, STOPPED_FROM_SNAPSHOT = 6, SUSPENDED_PAUSED = 0,
            RESUMED_UNPAUSED = 0, SHUTDOWN_FINISHED = 0;
    static final int STOPPED_SHUTDOWN = 0, STOPPED_DESTROYED = 1, STOPPED_CRASHED = 2, STOPPED_MIGRATED = 3,
            STOPPED_SAVED = 4, STOPPED_FAILED = 5;

    /** What the watcher observes: the domains with their state, and the directories whose changes matter. */
    interface Source {
        List<Observed> observe() throws LibvirtException;

        List<Path> directories();
    }

    /**
     * One domain as seen now; monitor: its VMM's control socket while it runs, else null.
     * settling: it reads as shut off only because another operation holds it (its VMM has
     * ended, its status is not reaped yet), so the shut-off reason is not known yet.
     */
    record Observed(DomainRef ref, DomainStateReason state, boolean persistent, Path monitor, boolean settling) {
        Observed(DomainRef ref, DomainStateReason state, boolean persistent, Path monitor) {
            this(ref, state, persistent, monitor, false);
        }
    }

    private record Seen(DomainRef ref, DomainState state, int reason, boolean persistent, Path monitor, boolean settling) { }

    /** How long a stop whose reason is not recorded yet is held back before it is reported anyway. */
    private static final long MAX_SETTLING_NS = 10_000_000_000L;
    /** uuid -> when the domain was first seen settling (watcher thread only). */
    private final Map<String, Long> settlingSince = new HashMap<>();

    private final Source source;
    private final long fallbackMs;
    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private Map<String, Seen> last;
    private Thread thread;
    private WatchService files;
    private final Set<Path> watched = new HashSet<>();
    /** uuid -> the subscription to that domain's VMM (changed by the watcher thread only). */
    private final Map<String, ControlClient> vmms = new ConcurrentHashMap<>();

    private final Object signal = new Object();
    private boolean woken;                               // guarded by signal
    private final Set<String> awaited = new HashSet<>(); // domains a VMM event announced a change of; guarded by signal
    private long settleUntil;                            // nanoTime; guarded by signal

    EventWatcher(Source source) {
        this(source, FALLBACK_MS);
    }

    /** fallbackMs: the period of the comparison no event starts (tests make it long). */
    EventWatcher(Source source, long fallbackMs) {
        this.source = source;
        this.fallbackMs = fallbackMs;
    }

    synchronized void add(DomainEventListener l) throws LibvirtException {
        listeners.add(l);
        if (thread == null) {
            last = snapshot();
            try {
                files = FileSystems.getDefault().newWatchService();
                WatchService ws = files;
                Thread f = new Thread(() -> fileLoop(ws), "jvirt-events-files");
                f.setDaemon(true);
                f.start();
            } catch (IOException | UnsupportedOperationException e) {
                files = null; // the VMM events and the fallback comparison remain
            }
            thread = new Thread(this::loop, "jvirt-events");
            thread.setDaemon(true);
            thread.start();
        }
    }

    synchronized void remove(DomainEventListener l) {
        listeners.remove(l);
    }

    synchronized void stop() {
        if (thread != null) thread.interrupt();
        thread = null;
        if (files != null) {
            try {
                files.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            files = null;
        }
    }

    /** How many VMMs the watcher listens to now. */
    int subscriptions() {
        return vmms.size();
    }

    /** Something happened (to domain uuid; null: to some files): compare now. */
    private void wake(String uuid) {
        synchronized (signal) {
            if (uuid != null) {
                awaited.add(uuid);
                settleUntil = System.nanoTime() + SETTLE_MS * 1_000_000;
            }
            woken = true;
            signal.notifyAll();
        }
    }

    private void awaitCause() throws InterruptedException {
        synchronized (signal) {
            if (!awaited.isEmpty() && System.nanoTime() > settleUntil) awaited.clear();
            if (!woken) signal.wait(awaited.isEmpty() ? fallbackMs : FAST_MS);
            woken = false;
        }
    }

    private void loop() {
        WatchService ws;
        synchronized (this) {
            ws = files;
        }
        watchDirectories(ws);
        subscribe();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                awaitCause();
                watchDirectories(ws);
                poll();
                subscribe();
            } catch (InterruptedException e) {
                break;
            } catch (LibvirtException | RuntimeException e) {
                // a domain changing under our feet (undefined between list and state): next round
            }
        }
        for (ControlClient c : vmms.values()) c.close();
        vmms.clear();
    }

    /** The config and run directories, once each exists (the run directory appears with the first start). */
    private void watchDirectories(WatchService ws) {
        if (ws == null) return;
        for (Path dir : source.directories()) {
            if (watched.contains(dir) || !Files.isDirectory(dir)) continue;
            try {
                dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                watched.add(dir);
            } catch (IOException | ClosedWatchServiceException e) {
                // not watchable: the fallback comparison covers it
            }
        }
    }

    private void fileLoop(WatchService ws) {
        while (true) {
            try {
                WatchKey key = ws.take();
                key.pollEvents();
                key.reset();
                wake(null);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
        }
    }

    /** Subscribes to the VMM of every running domain not subscribed yet; drops those that stopped. */
    private void subscribe() {
        vmms.entrySet().removeIf(e -> {
            Seen s = last.get(e.getKey());
            boolean keep = s != null && s.monitor() != null && !e.getValue().isClosed();
            if (!keep) e.getValue().close();
            return !keep;
        });
        for (Seen s : last.values()) {
            String uuid = s.ref().uuid();
            if (s.monitor() == null || vmms.containsKey(uuid)) continue;
            try {
                ControlClient c = ControlClient.connect(s.monitor(), CONNECT_TIMEOUT);
                c.onEvent(e -> wake(uuid));
                c.onClose(() -> wake(uuid)); // the VMM ended (killed with -9 too): a change is coming
                vmms.put(uuid, c);
            } catch (IOException e) {
                // not answering (starting, ending): the next round tries again
            }
        }
    }

    /** One comparison round; package-private so tests can drive it without timing. */
    void poll() throws LibvirtException {
        Map<String, Seen> before = last;
        Map<String, Seen> now = holdBackSettling(snapshot(), before);
        for (Seen s : now.values()) {
            Seen b = before.get(s.ref().uuid());
            if (b == null) {
                if (s.persistent()) fire(s.ref(), DEFINED, DEFINED_ADDED);
                if (s.state() != DomainState.VIR_DOMAIN_SHUTOFF) fire(s.ref(), STARTED, startedDetail(s));
            } else {
                transition(b, s);
            }
        }
        for (Seen b : before.values()) {
            if (now.containsKey(b.ref().uuid())) continue;
            if (b.state() != DomainState.VIR_DOMAIN_SHUTOFF) fire(b.ref(), STOPPED, STOPPED_DESTROYED);
            if (b.persistent()) fire(b.ref(), UNDEFINED, UNDEFINED_REMOVED);
        }
        last = now;
        synchronized (signal) {
            awaited.removeIf(uuid -> {
                Seen b = before.get(uuid), s = now.get(uuid);
                return s == null || b == null || b.state() != s.state();
            });
        }
    }

    private void transition(Seen b, Seen s) {
        DomainState was = b.state(), is = s.state();
        if (was == is) return;
        if (was == DomainState.VIR_DOMAIN_SHUTOFF) {
            fire(s.ref(), STARTED, startedDetail(s));
            if (is == DomainState.VIR_DOMAIN_PAUSED) fire(s.ref(), SUSPENDED, SUSPENDED_PAUSED);
        } else if (is == DomainState.VIR_DOMAIN_SHUTOFF) {
            int detail = stoppedDetail(s.reason());
            if (detail == STOPPED_SHUTDOWN) fire(s.ref(), SHUTDOWN, SHUTDOWN_FINISHED);
            fire(s.ref(), STOPPED, detail);
        } else if (is == DomainState.VIR_DOMAIN_PAUSED) {
            fire(s.ref(), SUSPENDED, SUSPENDED_PAUSED);
        } else if (is == DomainState.VIR_DOMAIN_RUNNING && was == DomainState.VIR_DOMAIN_PAUSED) {
            fire(s.ref(), RESUMED, RESUMED_UNPAUSED);
        }
    }

    private static int startedDetail(Seen s) {
        boolean restored = s.state() == DomainState.VIR_DOMAIN_RUNNING
                && s.reason() == org.jvirt.driver.api.DomainStateReason.RunningReason.RESTORED.ordinal();
        boolean fromSnapshot = s.state() != DomainState.VIR_DOMAIN_SHUTOFF
                && s.reason() == (s.state() == DomainState.VIR_DOMAIN_RUNNING
                        ? org.jvirt.driver.api.DomainStateReason.RunningReason.FROM_SNAPSHOT.ordinal()
                        : org.jvirt.driver.api.DomainStateReason.PausedReason.FROM_SNAPSHOT.ordinal());
        return restored ? STARTED_RESTORED : fromSnapshot ? STARTED_FROM_SNAPSHOT : STARTED_BOOTED;
    }

    private static int stoppedDetail(int shutoffReason) {
        ShutoffReason[] r = ShutoffReason.values();
        if (shutoffReason < 0 || shutoffReason >= r.length) return STOPPED_DESTROYED;
        return switch (r[shutoffReason]) {
            case SHUTDOWN -> STOPPED_SHUTDOWN;
            case CRASHED -> STOPPED_CRASHED;
            case MIGRATED -> STOPPED_MIGRATED;
            case SAVED -> STOPPED_SAVED;
            case FROM_SNAPSHOT -> STOPPED_FROM_SNAPSHOT;
            case FAILED -> STOPPED_FAILED;
            default -> STOPPED_DESTROYED;
        };
    }

    /**
     * A running domain that reads as shut off while its stop is still being recorded keeps its
     * previous state (as libvirt reports a stop once, with its reason, when the operation ends).
     */
    private Map<String, Seen> holdBackSettling(Map<String, Seen> now, Map<String, Seen> before) {
        long t = System.nanoTime();
        settlingSince.keySet().removeIf(uuid -> now.get(uuid) == null || !now.get(uuid).settling());
        for (Seen s : List.copyOf(now.values())) {
            Seen b = before.get(s.ref().uuid());
            if (!s.settling() || b == null || b.state() == DomainState.VIR_DOMAIN_SHUTOFF) continue;
            long since = settlingSince.computeIfAbsent(s.ref().uuid(), k -> t);
            if (t - since < MAX_SETTLING_NS) now.put(s.ref().uuid(), b);
        }
        return now;
    }

    private Map<String, Seen> snapshot() throws LibvirtException {
        Map<String, Seen> m = new HashMap<>();
        for (Observed o : source.observe()) {
            m.put(o.ref().uuid(), new Seen(o.ref(), o.state().state(), o.state().reason(), o.persistent(),
                    o.state().state() == DomainState.VIR_DOMAIN_SHUTOFF ? null : o.monitor(), o.settling()));
        }
        return m;
    }

    private void fire(DomainRef ref, int event, int detail) {
        for (DomainEventListener l : listeners) {
            try {
                l.onLifecycle(ref, event, detail);
            } catch (RuntimeException e) {
                // a listener's failure must not stop the others or the watcher
            }
        }
    }
}
