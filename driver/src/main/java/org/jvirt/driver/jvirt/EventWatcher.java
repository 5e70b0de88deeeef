package org.jvirt.driver.jvirt;

import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lifecycle events for jvirt URIs. There is no daemon that sees every change, so a watcher
 * thread compares the domains' states (config store, status files, VMM processes: the same
 * truth every client reads) every {@value #PERIOD_MS} ms and reports each change as libvirt's
 * event and detail numbers. Changes made by other clients and processes are seen too.
 */
final class EventWatcher {

    static final long PERIOD_MS = 200;

    // virDomainEventType and the detail numbers used here (libvirt's libvirt-domain.h)
    static final int DEFINED = 0, UNDEFINED = 1, STARTED = 2, SUSPENDED = 3, RESUMED = 4, STOPPED = 5, SHUTDOWN = 6;
    static final int DEFINED_ADDED = 0, UNDEFINED_REMOVED = 0, STARTED_BOOTED = 0, STARTED_RESTORED = 2, STARTED_FROM_SNAPSHOT = 4, STOPPED_FROM_SNAPSHOT = 6, SUSPENDED_PAUSED = 0,
            RESUMED_UNPAUSED = 0, SHUTDOWN_FINISHED = 0;
    static final int STOPPED_SHUTDOWN = 0, STOPPED_DESTROYED = 1, STOPPED_CRASHED = 2, STOPPED_MIGRATED = 3,
            STOPPED_SAVED = 4, STOPPED_FAILED = 5;

    private record Seen(DomainRef ref, DomainState state, int reason, boolean persistent) { }

    private final DriverConnection connection;
    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private Map<String, Seen> last;
    private Thread thread;

    EventWatcher(DriverConnection connection) {
        this.connection = connection;
    }

    synchronized void add(DomainEventListener l) throws LibvirtException {
        listeners.add(l);
        if (thread == null) {
            last = snapshot();
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
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(PERIOD_MS);
                poll();
            } catch (InterruptedException e) {
                return;
            } catch (LibvirtException | RuntimeException e) {
                // a domain changing under our feet (undefined between list and state): next round
            }
        }
    }

    /** One comparison round; package-private so tests can drive it without timing. */
    void poll() throws LibvirtException {
        Map<String, Seen> now = snapshot();
        Map<String, Seen> before = last;
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

    private Map<String, Seen> snapshot() throws LibvirtException {
        Map<String, Seen> m = new HashMap<>();
        for (DomainRef ref : connection.listAllDomains(0)) {
            try {
                DomainStateReason st = connection.getState(ref);
                m.put(ref.uuid(), new Seen(ref, st.state(), st.reason(), connection.isPersistent(ref)));
            } catch (LibvirtException e) {
                // undefined between the listing and the look-up: it is gone
            }
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
