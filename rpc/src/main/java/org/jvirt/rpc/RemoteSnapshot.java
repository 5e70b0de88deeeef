package org.jvirt.rpc;

/** remote_nonnull_domain_snapshot: the snapshot's name and its domain. */
public record RemoteSnapshot(String name, RemoteDomain domain) {

    public void encode(XdrWriter w) {
        w.writeString(name);
        domain.encode(w);
    }

    public static RemoteSnapshot decode(XdrReader r) throws XdrException {
        return new RemoteSnapshot(r.readString("snapshot name"), RemoteDomain.decode(r));
    }
}
