package org.jvirt.driver.remote;

import java.net.URI;
import java.nio.file.Path;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DomainEventListener;

/**
 * Lifecycle events of a state root taken from the jvirtd that serves it, over its read-only
 * socket: one registration (as `virsh event --all` makes) instead of a watcher of one's own.
 * When the daemon goes away, {@code lost} runs once so the caller can watch by itself again.
 */
public final class DaemonEventFeed implements AutoCloseable {
    private final RemoteConnection conn;

    private DaemonEventFeed(RemoteConnection conn) {
        this.conn = conn;
    }

    /** Connects to the daemon's read-only socket and registers sink for every domain's lifecycle events. */
    public static DaemonEventFeed open(Path readOnlySocket, DomainEventListener sink, Runnable lost) throws LibvirtException {
        String uri = "jvirt+unix:///system?socket=" + readOnlySocket;
        RemoteConnection conn = (RemoteConnection) RemoteDriver.open(RemoteUri.parse(uri, URI.create(uri)), true,
                Handshake.KEEPALIVE_INTERVAL, Handshake.KEEPALIVE_COUNT);
        try {
            conn.addDomainEventListener(sink);
        } catch (LibvirtException e) {
            conn.close();
            throw e;
        }
        conn.onLost(lost);
        if (!conn.isAlive()) lost.run(); // it broke before the hook was in place
        return new DaemonEventFeed(conn);
    }

    @Override
    public void close() {
        conn.close();
    }
}
