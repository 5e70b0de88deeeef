package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jvirt.driver.api.LibvirtException;

/**
 * The byte stream to the daemon, whatever carries it (a UNIX or TCP socket, an ssh child).
 * One thread reads while others write.
 */
interface Link extends AutoCloseable {
    InputStream in();

    OutputStream out();

    /** libvirt's error when reading finds the peer gone: the daemon closed the connection. */
    default LibvirtException hangUpError() {
        return SocketLink.systemError("End of file while reading data: Input/output error");
    }

    /** libvirt's error when a write fails. */
    default LibvirtException writeError(IOException e) {
        return SocketLink.systemError("Cannot write data: " + (e.getMessage() != null ? e.getMessage() : "Broken pipe"));
    }

    /** Whether the bytes are safe from eavesdropping (libvirt's virConnectIsSecure). */
    boolean isSecure();

    @Override
    void close() throws IOException;
}
