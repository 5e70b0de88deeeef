package org.jvirt.driver.jvirt;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.remote.DaemonEventFeed;
import org.jvirt.driver.spi.DomainEventListener;

/**
 * Where a jvirt connection's lifecycle events come from: the jvirtd serving its state root when
 * one runs ({@link DaemonPresence}; the daemon sees every change made through it and watches the
 * rest), else a watcher of its own ({@link EventWatcher}). If the daemon goes away, the
 * connection watches by itself from then on; a change in the moment between is seen by the
 * watcher's first comparison only if it is still visible then (as with any new watcher).
 */
final class LifecycleEvents {
    private final JvirtPaths paths;
    private final EventWatcher watcher;
    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private final DomainEventListener fanOut = (dom, event, detail) -> {
        for (DomainEventListener l : listeners) l.onLifecycle(dom, event, detail);
    };
    private DaemonEventFeed feed;   // guarded by this
    private boolean watching;       // guarded by this
    private boolean stopped;        // guarded by this

    LifecycleEvents(JvirtPaths paths, EventWatcher watcher) {
        this.paths = paths;
        this.watcher = watcher;
    }

    synchronized void add(DomainEventListener l) throws LibvirtException {
        listeners.add(l);
        if (feed != null || watching) return;
        Optional<Path> daemon = DaemonPresence.daemonSocket(paths);
        if (daemon.isPresent()) {
            try {
                feed = DaemonEventFeed.open(daemon.get(), fanOut, this::daemonLost);
                return;
            } catch (LibvirtException e) {
                feed = null; // announced but not answering: watch by ourselves
            }
        }
        watchLocally();
    }

    synchronized void remove(DomainEventListener l) {
        listeners.remove(l);
    }

    /** True while the events come from a daemon. */
    synchronized boolean fromDaemon() {
        return feed != null;
    }

    synchronized void stop() {
        stopped = true;
        if (feed != null) feed.close();
        feed = null;
        watcher.stop();
    }

    private synchronized void daemonLost() {
        feed = null;
        if (stopped) return;
        try {
            watchLocally();
        } catch (LibvirtException e) {
            // the watcher could not read the root now; it is retried at the next add
        }
    }

    private void watchLocally() throws LibvirtException {
        watcher.add(fanOut);
        watching = true;
    }
}
