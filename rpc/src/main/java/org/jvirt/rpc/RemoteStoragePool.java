package org.jvirt.rpc;

/** remote_nonnull_storage_pool: name, 16-byte uuid. */
public record RemoteStoragePool(String name, byte[] uuid) {

    public void encode(XdrWriter w) {
        w.writeString(name).writeFixedOpaque(uuid, 0, Limits.UUID_BUFLEN);
    }

    public static RemoteStoragePool decode(XdrReader r) throws XdrException {
        return new RemoteStoragePool(r.readString("storage pool name"), r.readFixedOpaque(Limits.UUID_BUFLEN, "storage pool uuid"));
    }
}
