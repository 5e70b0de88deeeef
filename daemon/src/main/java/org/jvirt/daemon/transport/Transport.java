package org.jvirt.daemon.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One accepted client connection, whatever carries it (unix socket, TCP, TLS). */
public interface Transport extends AutoCloseable {
    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** For logs: "unix:PATH uid=N" or "tcp:ADDR:PORT". */
    String describe();

    /** Whether libvirt calls this transport secure (unix sockets and TLS; plain TCP is not). */
    boolean secure();

    @Override
    void close();
}
