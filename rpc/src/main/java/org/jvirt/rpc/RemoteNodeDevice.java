package org.jvirt.rpc;

/** remote_nonnull_node_device: its name (node device procedures take the bare name string). */
public record RemoteNodeDevice(String name) {

    public void encode(XdrWriter w) {
        w.writeString(name);
    }

    public static RemoteNodeDevice decode(XdrReader r) throws XdrException {
        return new RemoteNodeDevice(r.readString("node device name"));
    }
}
