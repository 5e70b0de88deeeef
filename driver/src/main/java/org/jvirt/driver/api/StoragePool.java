package org.jvirt.driver.api;

import java.util.List;
import org.jvirt.driver.spi.StorageDriver;
import org.jvirt.driver.spi.StoragePoolRef;
import org.jvirt.driver.spi.StorageVolRef;

/** A storage pool handle (virStoragePool), shaped after libvirt-java's {@code org.libvirt.StoragePool}. */
public class StoragePool {

    private final Connect conn;
    private final StoragePoolRef ref;

    StoragePool(Connect conn, StoragePoolRef ref) {
        this.conn = conn;
        this.ref = ref;
    }

    private StorageDriver d() throws LibvirtException { return conn.driver().storage(); }

    public StoragePoolRef ref() { return ref; }

    public Connect getConnect() { return conn; }

    public String getName() { return ref.name(); }

    public String getUUIDString() { return ref.uuid(); }

    public StoragePoolInfo getInfo() throws LibvirtException { return d().poolGetInfo(ref); }

    /** The XML description (flags: 1 = VIR_STORAGE_XML_INACTIVE). */
    public String getXMLDesc(int flags) throws LibvirtException { return d().poolGetXMLDesc(ref, flags); }

    public boolean getAutostart() throws LibvirtException { return d().poolGetAutostart(ref); }

    public void setAutostart(int autostart) throws LibvirtException {
        conn.checkWritable("virStoragePoolSetAutostart");
        d().poolSetAutostart(ref, autostart != 0);
    }

    public int isActive() throws LibvirtException { return d().poolIsActive(ref) ? 1 : 0; }

    public int isPersistent() throws LibvirtException { return d().poolIsPersistent(ref) ? 1 : 0; }

    /** Starts the defined pool (virStoragePoolCreate). */
    public void create(int flags) throws LibvirtException {
        conn.checkWritable("virStoragePoolCreate");
        d().poolCreate(ref, flags);
    }

    public void destroy() throws LibvirtException {
        conn.checkWritable("virStoragePoolDestroy");
        d().poolDestroy(ref);
    }

    public void undefine() throws LibvirtException {
        conn.checkWritable("virStoragePoolUndefine");
        d().poolUndefine(ref);
    }

    public void refresh(int flags) throws LibvirtException {
        conn.checkWritable("virStoragePoolRefresh");
        d().poolRefresh(ref, flags);
    }

    /** Builds the pool's storage (virStoragePoolBuild; flags: 4 NO_OVERWRITE, 8 OVERWRITE). */
    public void build(int flags) throws LibvirtException {
        conn.checkWritable("virStoragePoolBuild");
        d().poolBuild(ref, flags);
    }

    /** Deletes the pool's storage (virStoragePoolDelete). */
    public void delete(int flags) throws LibvirtException {
        conn.checkWritable("virStoragePoolDelete");
        d().poolDelete(ref, flags);
    }

    /** The pool's volumes (virStoragePoolListAllVolumes). */
    public StorageVol[] listAllVolumes() throws LibvirtException {
        List<StorageVolRef> refs = d().listAllVolumes(ref);
        StorageVol[] out = new StorageVol[refs.size()];
        for (int i = 0; i < out.length; i++) out[i] = new StorageVol(conn, refs.get(i));
        return out;
    }

    /** Names of the pool's volumes (virStoragePoolListVolumes). */
    public String[] listVolumes() throws LibvirtException {
        return d().listAllVolumes(ref).stream().map(StorageVolRef::name).toArray(String[]::new);
    }

    public int numOfVolumes() throws LibvirtException { return listVolumes().length; }

    public StorageVol storageVolLookupByName(String name) throws LibvirtException {
        return new StorageVol(conn, d().volLookupByName(ref, name));
    }

    /** Creates a volume from xml with the contents of cloneVolume (virStorageVolCreateXMLFrom). */
    public StorageVol storageVolCreateXMLFrom(String xml, StorageVol cloneVolume, int flags) throws LibvirtException {
        conn.checkWritable("virStorageVolCreateXMLFrom");
        return new StorageVol(conn, d().volCreateXMLFrom(ref, xml, cloneVolume.ref(), flags));
    }

    public StorageVol storageVolCreateXML(String xml, int flags) throws LibvirtException {
        conn.checkWritable("virStorageVolCreateXML");
        return new StorageVol(conn, d().volCreateXML(ref, xml, flags));
    }
}
