package org.jvirt.rpc;

/** remote_nonnull_network: name, 16-byte uuid. */
public record RemoteNetwork(String name, byte[] uuid) {

    public void encode(XdrWriter w) {
        w.writeString(name).writeFixedOpaque(uuid, 0, Limits.UUID_BUFLEN);
    }

    public static RemoteNetwork decode(XdrReader r) throws XdrException {
        return new RemoteNetwork(r.readString("network name"), r.readFixedOpaque(Limits.UUID_BUFLEN, "network uuid"));
    }
}
