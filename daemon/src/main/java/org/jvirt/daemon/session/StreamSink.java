package org.jvirt.daemon.session;

/**
 * The daemon's end of a stream opened by a call (a console): what the client sends on it.
 * Called on the session's reader thread, in order; must not block for long.
 */
public interface StreamSink {
    /** A STREAM CONTINUE frame's bytes. */
    void data(byte[] bytes);

    /** The client finished (STREAM OK) or aborted (STREAM ERROR): close; the session confirms. */
    void end(boolean aborted);
}
