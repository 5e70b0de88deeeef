package org.jvirt.driver.spi;

import java.net.URI;
import org.jvirt.driver.api.LibvirtException;

/**
 * A driver that serves some URI schemes (as libvirt's virConnectDriver). Found through
 * {@link java.util.ServiceLoader}; {@link #accepts} is cheap so that choosing a driver loads
 * nothing heavy.
 */
public interface HypervisorDriver {

    /** The driver's name, e.g. "test" or "jvirt". */
    String name();

    /** Whether this driver serves the URI (by scheme, and path where the scheme is shared). */
    boolean accepts(URI uri);

    /** Opens a connection; the URI has been accepted. */
    DriverConnection open(URI uri, boolean readOnly) throws LibvirtException;
}
