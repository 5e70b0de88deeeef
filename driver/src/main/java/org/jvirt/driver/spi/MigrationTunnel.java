package org.jvirt.driver.spi;

import java.io.InputStream;
import java.io.OutputStream;
import org.jvirt.driver.api.LibvirtException;

/**
 * The stream of a tunnelled migration (virDomainMigratePrepareTunnel3Params): the source VMM's
 * bytes go to the destination's VMM on {@link #output()}; what that VMM answers (that the guest
 * runs there, or why it failed) comes back on {@link #input()}. {@link #finish()} once all is
 * sent (libvirt's virStreamFinish), {@link #abort()} when the migration failed (virStreamAbort).
 */
public interface MigrationTunnel {
    OutputStream output();

    InputStream input();

    /** Everything was sent: the destination flushes its side and confirms, or says why it failed. */
    void finish() throws LibvirtException;

    /** The migration failed: the destination drops its side. Never throws. */
    void abort();
}
