package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte stream to the daemon, whatever carries it (a UNIX or TCP socket, an ssh child).
 * One thread reads while others write.
 */
interface Link extends AutoCloseable {
    InputStream in();

    OutputStream out();

    /** What the peer said before hanging up (ssh's stderr), or "" when nothing. */
    default String peerDiagnostics() {
        return "";
    }

    /** Whether the bytes are safe from eavesdropping (libvirt's virConnectIsSecure). */
    boolean isSecure();

    @Override
    void close() throws IOException;
}
