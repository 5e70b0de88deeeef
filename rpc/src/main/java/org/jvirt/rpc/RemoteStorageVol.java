package org.jvirt.rpc;

/** remote_nonnull_storage_vol: its pool's name, its name, its key. */
public record RemoteStorageVol(String pool, String name, String key) {

    public void encode(XdrWriter w) {
        w.writeString(pool).writeString(name).writeString(key);
    }

    public static RemoteStorageVol decode(XdrReader r) throws XdrException {
        return new RemoteStorageVol(r.readString("storage vol pool"), r.readString("storage vol name"), r.readString("storage vol key"));
    }
}
