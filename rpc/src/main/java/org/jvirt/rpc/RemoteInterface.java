package org.jvirt.rpc;

/** remote_nonnull_interface: name, MAC address string. */
public record RemoteInterface(String name, String mac) {

    public void encode(XdrWriter w) {
        w.writeString(name).writeString(mac);
    }

    public static RemoteInterface decode(XdrReader r) throws XdrException {
        return new RemoteInterface(r.readString("interface name"), r.readString("interface mac"));
    }
}
