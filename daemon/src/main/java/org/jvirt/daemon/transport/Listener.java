package org.jvirt.daemon.transport;

import java.io.IOException;

/** A listening socket whose accepted connections go to a handler, on its own thread. */
public interface Listener extends AutoCloseable {

    /** What the daemon does with a new connection (readOnly: it came in on a read-only socket). */
    interface Handler {
        void accepted(Transport t, boolean readOnly);
    }

    /** Starts accepting on a daemon thread. */
    void start(Handler handler) throws IOException;

    String describe();

    @Override
    void close();
}
