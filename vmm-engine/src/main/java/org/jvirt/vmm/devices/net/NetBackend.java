package org.jvirt.vmm.devices.net;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a NIC's frames go and come from (a tap device; later e.g. a unix-socket stream to passt).
 * A frame is handed over whole: with {@link #hasVnetHeader()} it starts with the 12-byte
 * virtio_net_hdr_v1 (checksum and segmentation offload information), else it is the bare
 * Ethernet frame. {@link #receive} is called by one receiving thread, {@link #send} by one
 * sending thread; neither allocates.
 */
public interface NetBackend extends Closeable {

    /** Frames carry a virtio_net_hdr_v1 in front (offloads are then possible). */
    boolean hasVnetHeader();

    /**
     * Waits up to timeoutMillis for a frame and reads it into buf at offset; returns its length
     * (header included), 0 when none came in time. Throws when the backend is gone.
     */
    int receive(byte[] buf, int offset, int timeoutMillis) throws IOException;

    /** Sends one frame of length bytes from buf at offset; a frame the backend cannot take is dropped. */
    void send(byte[] buf, int offset, int length) throws IOException;

    /**
     * The receive offloads the guest accepted (TUN_F_* bits: checksum, TSO4, TSO6, ECN): the
     * backend may then hand over frames that use them. Ignored without a vnet header.
     */
    void setOffloads(int tunFlags) throws IOException;

    /** A name for messages (e.g. the tap's interface name). */
    String name();
}
