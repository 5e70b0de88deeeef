package org.jvirt.driver.remote;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StorageVolInfo;
import org.jvirt.driver.spi.StorageDriver;
import org.jvirt.driver.spi.StoragePoolRef;
import org.jvirt.driver.spi.StorageVolRef;
import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;

/**
 * The daemon's storage driver (STORAGE_POOL_*, STORAGE_VOL_*): a pool is name and uuid on the
 * wire, a volume its pool's name, its name and its key.
 */
final class RemoteStorage implements StorageDriver {
    /** REMOTE_STORAGE_POOL_LIST_MAX, REMOTE_STORAGE_VOL_LIST_MAX. */
    private static final int POOL_LIST_MAX = 16384, VOL_LIST_MAX = 16384;

    private final RpcClient rpc;

    RemoteStorage(RpcClient rpc) {
        this.rpc = rpc;
    }

    private static StoragePoolRef pool(XdrReader r) throws XdrException {
        String[] p = WireTypes.readNameAndUuid(r, "pool");
        return new StoragePoolRef(p[0], p[1]);
    }

    private static StorageVolRef vol(XdrReader r) throws XdrException {
        return new StorageVolRef(r.readString("volume pool"), r.readString("volume name"), r.readString("volume key"));
    }

    private static XdrWriter args(StoragePoolRef p) throws LibvirtException {
        return WireTypes.nameAndUuid(p.name(), p.uuid());
    }

    private static XdrWriter args(StorageVolRef v) {
        return writeVol(new XdrWriter(), v);
    }

    private static XdrWriter writeVol(XdrWriter w, StorageVolRef v) {
        return w.writeString(v.pool()).writeString(v.name()).writeString(v.key());
    }

    private void call(int proc, XdrWriter args) throws LibvirtException {
        rpc.call(proc, args, ReplyDecoder.NONE);
    }

    // ---- pools ----
    @Override
    public List<StoragePoolRef> listAllPools(int flags) throws LibvirtException {
        return rpc.call(CONNECT_LIST_ALL_STORAGE_POOLS, new XdrWriter().writeInt(1).writeInt(flags), r -> {
            int n = r.readCount(POOL_LIST_MAX, 20, "pools");
            List<StoragePoolRef> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(pool(r));
            r.readInt(); // the count again
            return out;
        });
    }

    @Override public int numOfPools() throws LibvirtException { return rpc.call(CONNECT_NUM_OF_STORAGE_POOLS, null, r -> r.readInt()); }

    @Override public int numOfDefinedPools() throws LibvirtException { return rpc.call(CONNECT_NUM_OF_DEFINED_STORAGE_POOLS, null, r -> r.readInt()); }

    @Override
    public StoragePoolRef poolLookupByName(String name) throws LibvirtException {
        return rpc.call(STORAGE_POOL_LOOKUP_BY_NAME, new XdrWriter().writeString(name), RemoteStorage::pool);
    }

    @Override
    public StoragePoolRef poolLookupByUUID(String uuid) throws LibvirtException {
        byte[] u = WireTypes.uuid(uuid);
        return rpc.call(STORAGE_POOL_LOOKUP_BY_UUID, new XdrWriter().writeFixedOpaque(u, 0, u.length), RemoteStorage::pool);
    }

    @Override public StoragePoolRef poolLookupByVolume(StorageVolRef v) throws LibvirtException { return rpc.call(STORAGE_POOL_LOOKUP_BY_VOLUME, args(v), RemoteStorage::pool); }

    @Override
    public StoragePoolRef poolDefineXML(String xml, int flags) throws LibvirtException {
        return rpc.call(STORAGE_POOL_DEFINE_XML, new XdrWriter().writeString(xml).writeInt(flags), RemoteStorage::pool);
    }

    @Override
    public StoragePoolRef poolCreateXML(String xml, int flags) throws LibvirtException {
        return rpc.call(STORAGE_POOL_CREATE_XML, new XdrWriter().writeString(xml).writeInt(flags), RemoteStorage::pool);
    }

    @Override public void poolCreate(StoragePoolRef p, int flags) throws LibvirtException { call(STORAGE_POOL_CREATE, args(p).writeInt(flags)); }

    @Override public void poolDestroy(StoragePoolRef p) throws LibvirtException { call(STORAGE_POOL_DESTROY, args(p)); }

    @Override public void poolUndefine(StoragePoolRef p) throws LibvirtException { call(STORAGE_POOL_UNDEFINE, args(p)); }

    @Override public void poolRefresh(StoragePoolRef p, int flags) throws LibvirtException { call(STORAGE_POOL_REFRESH, args(p).writeInt(flags)); }

    @Override public void poolBuild(StoragePoolRef p, int flags) throws LibvirtException { call(STORAGE_POOL_BUILD, args(p).writeInt(flags)); }

    @Override public void poolDelete(StoragePoolRef p, int flags) throws LibvirtException { call(STORAGE_POOL_DELETE, args(p).writeInt(flags)); }

    @Override
    public StoragePoolInfo poolGetInfo(StoragePoolRef p) throws LibvirtException {
        return rpc.call(STORAGE_POOL_GET_INFO, args(p), r -> {
            int state = r.readInt(); // an unsigned char: one 4-byte unit
            StoragePoolInfo.StoragePoolState[] states = StoragePoolInfo.StoragePoolState.values();
            return new StoragePoolInfo(state >= 0 && state < states.length ? states[state] : states[0], r.readHyper(), r.readHyper(), r.readHyper());
        });
    }

    @Override
    public String poolGetXMLDesc(StoragePoolRef p, int flags) throws LibvirtException {
        return rpc.call(STORAGE_POOL_GET_XML_DESC, args(p).writeInt(flags), r -> r.readString("xml"));
    }

    @Override public boolean poolGetAutostart(StoragePoolRef p) throws LibvirtException { return rpc.call(STORAGE_POOL_GET_AUTOSTART, args(p), r -> r.readInt()) != 0; }

    @Override public void poolSetAutostart(StoragePoolRef p, boolean autostart) throws LibvirtException { call(STORAGE_POOL_SET_AUTOSTART, args(p).writeInt(autostart ? 1 : 0)); }

    @Override public boolean poolIsActive(StoragePoolRef p) throws LibvirtException { return rpc.call(STORAGE_POOL_IS_ACTIVE, args(p), r -> r.readInt()) != 0; }

    @Override public boolean poolIsPersistent(StoragePoolRef p) throws LibvirtException { return rpc.call(STORAGE_POOL_IS_PERSISTENT, args(p), r -> r.readInt()) != 0; }

    @Override
    public String findPoolSources(String type, String srcSpec, int flags) throws LibvirtException {
        return rpc.call(CONNECT_FIND_STORAGE_POOL_SOURCES, new XdrWriter().writeString(type).writeOptionalString(srcSpec).writeInt(flags),
                r -> r.readString("sources"));
    }

    @Override
    public String getPoolCapabilities(int flags) throws LibvirtException {
        return rpc.call(CONNECT_GET_STORAGE_POOL_CAPABILITIES, new XdrWriter().writeInt(flags), r -> r.readString("capabilities"));
    }

    // ---- volumes ----
    @Override
    public List<StorageVolRef> listAllVolumes(StoragePoolRef p) throws LibvirtException {
        return rpc.call(STORAGE_POOL_LIST_ALL_VOLUMES, args(p).writeInt(1).writeInt(0), r -> {
            int n = r.readCount(VOL_LIST_MAX, 12, "volumes");
            List<StorageVolRef> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(vol(r));
            r.readInt(); // the count again
            return out;
        });
    }

    @Override
    public StorageVolRef volLookupByName(StoragePoolRef p, String name) throws LibvirtException {
        return rpc.call(STORAGE_VOL_LOOKUP_BY_NAME, args(p).writeString(name), RemoteStorage::vol);
    }

    @Override
    public StorageVolRef volLookupByKey(String key) throws LibvirtException {
        return rpc.call(STORAGE_VOL_LOOKUP_BY_KEY, new XdrWriter().writeString(key), RemoteStorage::vol);
    }

    @Override
    public StorageVolRef volLookupByPath(String path) throws LibvirtException {
        return rpc.call(STORAGE_VOL_LOOKUP_BY_PATH, new XdrWriter().writeString(path), RemoteStorage::vol);
    }

    @Override
    public StorageVolRef volCreateXML(StoragePoolRef p, String xml, int flags) throws LibvirtException {
        return rpc.call(STORAGE_VOL_CREATE_XML, args(p).writeString(xml).writeInt(flags), RemoteStorage::vol);
    }

    @Override
    public StorageVolRef volCreateXMLFrom(StoragePoolRef p, String xml, StorageVolRef clone, int flags) throws LibvirtException {
        return rpc.call(STORAGE_VOL_CREATE_XML_FROM, writeVol(args(p).writeString(xml), clone).writeInt(flags), RemoteStorage::vol);
    }

    @Override public void volDelete(StorageVolRef v, int flags) throws LibvirtException { call(STORAGE_VOL_DELETE, args(v).writeInt(flags)); }

    @Override
    public StorageVolInfo volGetInfo(StorageVolRef v) throws LibvirtException {
        return rpc.call(STORAGE_VOL_GET_INFO, args(v), RemoteStorage::volInfo);
    }

    @Override
    public StorageVolInfo volGetInfoFlags(StorageVolRef v, int flags) throws LibvirtException {
        return rpc.call(STORAGE_VOL_GET_INFO_FLAGS, args(v).writeInt(flags), RemoteStorage::volInfo);
    }

    private static StorageVolInfo volInfo(org.jvirt.rpc.XdrReader r) throws org.jvirt.rpc.XdrException {
        int type = r.readInt(); // a char: one 4-byte unit
        StorageVolInfo.VirStorageVolType[] types = StorageVolInfo.VirStorageVolType.values();
        return new StorageVolInfo(type >= 0 && type < types.length ? types[type] : types[0], r.readHyper(), r.readHyper());
    }

    @Override
    public String volGetXMLDesc(StorageVolRef v, int flags) throws LibvirtException {
        return rpc.call(STORAGE_VOL_GET_XML_DESC, args(v).writeInt(flags), r -> r.readString("xml"));
    }

    @Override public void volResize(StorageVolRef v, long capacity, int flags) throws LibvirtException { call(STORAGE_VOL_RESIZE, args(v).writeHyper(capacity).writeInt(flags)); }

    @Override public void volWipe(StorageVolRef v, int flags) throws LibvirtException { call(STORAGE_VOL_WIPE, args(v).writeInt(flags)); }

    @Override
    public void volWipePattern(StorageVolRef v, int algorithm, int flags) throws LibvirtException {
        call(STORAGE_VOL_WIPE_PATTERN, args(v).writeInt(algorithm).writeInt(flags));
    }

    @Override public String volGetPath(StorageVolRef v) throws LibvirtException { return rpc.call(STORAGE_VOL_GET_PATH, args(v), r -> r.readString("path")); }

    /** virStorageVolUpload: a stream of the call; closing the returned stream finishes it (virStreamFinish). */
    @Override
    public java.io.OutputStream volUpload(StorageVolRef v, long offset, long length, int flags) throws LibvirtException {
        RemoteStream s = new RemoteStream(rpc, STORAGE_VOL_UPLOAD);
        s.opened(rpc.callWithStream(STORAGE_VOL_UPLOAD, args(v).writeHyper(offset).writeHyper(length).writeInt(flags), s));
        return new java.io.FilterOutputStream(s.output()) {
            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws java.io.IOException {
                try {
                    s.finish();
                } catch (LibvirtException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }
        };
    }

    /** virStorageVolDownload: read to the end, then close (finishes the stream; closing before the end aborts it). */
    @Override
    public java.io.InputStream volDownload(StorageVolRef v, long offset, long length, int flags) throws LibvirtException {
        RemoteStream s = new RemoteStream(rpc, STORAGE_VOL_DOWNLOAD);
        s.opened(rpc.callWithStream(STORAGE_VOL_DOWNLOAD, args(v).writeHyper(offset).writeHyper(length).writeInt(flags), s));
        return finishingInput(s);
    }

    /** A download stream's input: closing it at the end finishes the stream, closing it before aborts it. */
    static java.io.InputStream finishingInput(RemoteStream s) {
        return new java.io.FilterInputStream(s.input()) {
            private boolean atEnd;

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = in.read(b, off, len);
                if (n < 0) atEnd = true;
                return n;
            }

            @Override
            public int read() throws java.io.IOException {
                int c = in.read();
                if (c < 0) atEnd = true;
                return c;
            }

            @Override
            public void close() throws java.io.IOException {
                if (!atEnd) {
                    s.close();
                    return;
                }
                try {
                    s.finish();
                } catch (LibvirtException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }
        };
    }
}
