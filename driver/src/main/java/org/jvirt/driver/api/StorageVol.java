package org.jvirt.driver.api;

import org.jvirt.driver.spi.StorageDriver;
import org.jvirt.driver.spi.StorageVolRef;

/** A storage volume handle (virStorageVol), shaped after libvirt-java's {@code org.libvirt.StorageVol}. */
public class StorageVol {

    private final Connect conn;
    private final StorageVolRef ref;

    StorageVol(Connect conn, StorageVolRef ref) {
        this.conn = conn;
        this.ref = ref;
    }

    private StorageDriver d() throws LibvirtException { return conn.driver().storage(); }

    public StorageVolRef ref() { return ref; }

    public String getName() { return ref.name(); }

    public String getKey() { return ref.key(); }

    public String getPath() throws LibvirtException { return d().volGetPath(ref); }

    public StorageVolInfo getInfo() throws LibvirtException { return d().volGetInfo(ref); }

    /** virStorageVolGetInfoFlags: flags 1 (VIR_STORAGE_VOL_GET_PHYSICAL) puts the physical size in the allocation field. */
    public StorageVolInfo getInfoFlags(int flags) throws LibvirtException { return d().volGetInfoFlags(ref, flags); }

    public String getXMLDesc(int flags) throws LibvirtException { return d().volGetXMLDesc(ref, flags); }

    public StoragePool storagePoolLookupByVolume() throws LibvirtException {
        return new StoragePool(conn, d().poolLookupByVolume(ref));
    }

    /** virStorageVolResize (flags: 1 ALLOCATE, 2 DELTA, 4 SHRINK). */
    public void resize(long capacity, int flags) throws LibvirtException {
        conn.checkWritable("virStorageVolResize");
        d().volResize(ref, capacity, flags);
    }

    public void wipe() throws LibvirtException {
        conn.checkWritable("virStorageVolWipe");
        d().volWipe(ref, 0);
    }

    /** virStorageVolWipePattern with a virStorageVolWipeAlgorithm. */
    public void wipePattern(int algorithm) throws LibvirtException {
        conn.checkWritable("virStorageVolWipePattern");
        d().volWipePattern(ref, algorithm, 0);
    }

    /** virStorageVolUpload: write the returned stream, then close it (flags: 1 SPARSE_STREAM). */
    public java.io.OutputStream upload(long offset, long length, int flags) throws LibvirtException {
        conn.checkWritable("virStorageVolUpload");
        return d().volUpload(ref, offset, length, flags);
    }

    /** virStorageVolDownload: read the returned stream to its end, then close it (flags: 1 SPARSE_STREAM). */
    public java.io.InputStream download(long offset, long length, int flags) throws LibvirtException {
        conn.checkWritable("virStorageVolDownload");
        return d().volDownload(ref, offset, length, flags);
    }

    public void delete(int flags) throws LibvirtException {
        conn.checkWritable("virStorageVolDelete");
        d().volDelete(ref, flags);
    }
}
