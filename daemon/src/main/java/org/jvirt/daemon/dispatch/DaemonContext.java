package org.jvirt.daemon.dispatch;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.LibvirtException;

/** What the procedures need of the daemon around them. */
public interface DaemonContext {
    /**
     * Opens the driver for the name a client sent in CONNECT_OPEN ("qemu:///system",
     * "test:///default", null for the daemon's default).
     */
    Connect open(String name, boolean readOnly) throws LibvirtException;

    /** The URI a client that sent no name is told it has (CONNECT_GET_URI). */
    String canonicalUri(String name);

    /** Releases a connection opened by {@link #open}. */
    void release(Connect conn);
}
