package org.jvirt.daemon.session;

import org.jvirt.rpc.Frame;

/** Runs one CALL of the REMOTE program for a session (the procedure table); on a worker thread. */
public interface CallHandler {
    void call(ClientSession session, Frame call);

    /** The session ends: release what its calls opened (streams, event registrations, the driver). */
    void closed(ClientSession session);
}
