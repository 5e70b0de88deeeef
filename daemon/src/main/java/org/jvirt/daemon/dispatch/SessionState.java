package org.jvirt.daemon.dispatch;

import org.jvirt.driver.api.Connect;

/** What one client's calls share: the open driver connection and its event callbacks. */
final class SessionState {
    volatile Connect conn;
    volatile boolean readOnly;
    /** The URI the client opened, as libvirtd keeps it (CONNECT_GET_URI answers it). */
    volatile String uri;
    final EventCallbacks events = new EventCallbacks();
    /** Open streams (consoles, migration tunnels), closed with the connection. */
    final java.util.Set<StreamBridge> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
