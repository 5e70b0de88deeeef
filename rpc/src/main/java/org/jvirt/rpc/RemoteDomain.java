package org.jvirt.rpc;

/** remote_nonnull_domain: name, 16-byte uuid, id (-1 when not running). */
public record RemoteDomain(String name, byte[] uuid, int id) {

    public void encode(XdrWriter w) {
        w.writeString(name).writeFixedOpaque(uuid, 0, Limits.UUID_BUFLEN).writeInt(id);
    }

    public static RemoteDomain decode(XdrReader r) throws XdrException {
        return new RemoteDomain(r.readString("domain name"), r.readFixedOpaque(Limits.UUID_BUFLEN, "domain uuid"), r.readInt());
    }

    /** The uuid as libvirt prints it (8-4-4-4-12 lower-case hex). */
    public String uuidString() {
        return Uuids.format(uuid);
    }
}
