package org.jvirt.driver.remote;

import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.Frame;

/** Receives the STREAM frames of one call (spec §6), on the client's reader thread: must not block. */
interface StreamSink {
    void onFrame(Frame frame);

    /** The connection is gone. */
    void onClosed(LibvirtException why);
}
