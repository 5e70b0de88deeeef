package org.jvirt.daemon.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.LifecycleListener;
import org.jvirt.rpc.RemoteDomain;

/**
 * One client's event registrations: callback ids (from 0, as libvirtd numbers them) with their
 * event id and optional domain filter, and the one lifecycle listener on the client's driver
 * connection that feeds them all. The legacy registrations (167/105) are kept as callback -1.
 */
final class EventCallbacks {
    record Registration(int eventId, RemoteDomain filter, boolean legacy) { }

    private final Map<Integer, Registration> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private volatile Connect listeningOn;
    private volatile LifecycleListener listener;

    int add(Registration r) {
        int id = nextId.getAndIncrement();
        byId.put(id, r);
        return id;
    }

    boolean remove(int callbackId) {
        return byId.remove(callbackId) != null;
    }

    /** Removes a legacy registration of that event id; false when there was none. */
    boolean removeLegacy(int eventId) {
        for (var e : byId.entrySet()) {
            if (e.getValue().legacy() && e.getValue().eventId() == eventId) return byId.remove(e.getKey()) != null;
        }
        return false;
    }

    boolean hasLegacy(int eventId) {
        return byId.values().stream().anyMatch(r -> r.legacy() && r.eventId() == eventId);
    }

    Map<Integer, Registration> all() {
        return byId;
    }

    /** Installs the driver listener once per connection. */
    synchronized void listen(Connect conn, LifecycleListener l) throws org.jvirt.driver.api.LibvirtException {
        if (listeningOn == conn) return;
        conn.addLifecycleListener(l);
        listeningOn = conn;
        listener = l;
    }

    synchronized void clear() {
        byId.clear();
        if (listeningOn != null && listener != null) listeningOn.removeLifecycleListener(listener);
        listeningOn = null;
        listener = null;
    }
}
