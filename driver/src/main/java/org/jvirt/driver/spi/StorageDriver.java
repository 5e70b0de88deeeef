package org.jvirt.driver.spi;

import static org.jvirt.driver.spi.DriverConnection.unsupported;

import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StorageVolInfo;

/**
 * libvirt's virStorageDriver table (pools and their volumes). A connection without storage
 * keeps every default, which fails as libvirt does for a missing entry.
 */
public interface StorageDriver {

    /** The table of a driver that has no storage (libvirt: conn->storageDriver == NULL). */
    StorageDriver NONE = new StorageDriver() { };

    // ---- pools ----
    /** virConnectListAllStoragePools with Flags.ListAllStoragePools filters. */
    default List<StoragePoolRef> listAllPools(int flags) throws LibvirtException { throw unsupported("virConnectListAllStoragePools"); }

    default int numOfPools() throws LibvirtException { throw unsupported("virConnectNumOfStoragePools"); }

    default int numOfDefinedPools() throws LibvirtException { throw unsupported("virConnectNumOfDefinedStoragePools"); }

    default StoragePoolRef poolLookupByName(String name) throws LibvirtException { throw unsupported("virStoragePoolLookupByName"); }

    default StoragePoolRef poolLookupByUUID(String uuid) throws LibvirtException { throw unsupported("virStoragePoolLookupByUUID"); }

    default StoragePoolRef poolLookupByVolume(StorageVolRef v) throws LibvirtException { throw unsupported("virStoragePoolLookupByVolume"); }

    default StoragePoolRef poolDefineXML(String xml, int flags) throws LibvirtException { throw unsupported("virStoragePoolDefineXML"); }

    default StoragePoolRef poolCreateXML(String xml, int flags) throws LibvirtException { throw unsupported("virStoragePoolCreateXML"); }

    default void poolCreate(StoragePoolRef p, int flags) throws LibvirtException { throw unsupported("virStoragePoolCreate"); }

    default void poolDestroy(StoragePoolRef p) throws LibvirtException { throw unsupported("virStoragePoolDestroy"); }

    default void poolUndefine(StoragePoolRef p) throws LibvirtException { throw unsupported("virStoragePoolUndefine"); }

    default void poolRefresh(StoragePoolRef p, int flags) throws LibvirtException { throw unsupported("virStoragePoolRefresh"); }

    default StoragePoolInfo poolGetInfo(StoragePoolRef p) throws LibvirtException { throw unsupported("virStoragePoolGetInfo"); }

    default String poolGetXMLDesc(StoragePoolRef p, int flags) throws LibvirtException { throw unsupported("virStoragePoolGetXMLDesc"); }

    default boolean poolGetAutostart(StoragePoolRef p) throws LibvirtException { throw unsupported("virStoragePoolGetAutostart"); }

    default void poolSetAutostart(StoragePoolRef p, boolean autostart) throws LibvirtException { throw unsupported("virStoragePoolSetAutostart"); }

    default boolean poolIsActive(StoragePoolRef p) throws LibvirtException { throw unsupported("virStoragePoolIsActive"); }

    default boolean poolIsPersistent(StoragePoolRef p) throws LibvirtException { throw unsupported("virStoragePoolIsPersistent"); }

    default void poolBuild(StoragePoolRef p, int flags) throws LibvirtException { throw unsupported("virStoragePoolBuild"); }

    default void poolDelete(StoragePoolRef p, int flags) throws LibvirtException { throw unsupported("virStoragePoolDelete"); }

    /** virConnectFindStoragePoolSources: a {@code <sources>} document; srcSpec may be null. */
    default String findPoolSources(String type, String srcSpec, int flags) throws LibvirtException {
        throw unsupported("virConnectFindStoragePoolSources");
    }

    /** The storage pool types the driver supports, as XML (virConnectGetStoragePoolCapabilities). */
    default String getPoolCapabilities(int flags) throws LibvirtException { throw unsupported("virConnectGetStoragePoolCapabilities"); }

    // ---- volumes ----
    /** virStoragePoolListAllVolumes: the pool's volumes in the driver's order. */
    default List<StorageVolRef> listAllVolumes(StoragePoolRef p) throws LibvirtException { throw unsupported("virStoragePoolListAllVolumes"); }

    default StorageVolRef volLookupByName(StoragePoolRef p, String name) throws LibvirtException { throw unsupported("virStorageVolLookupByName"); }

    default StorageVolRef volLookupByKey(String key) throws LibvirtException { throw unsupported("virStorageVolLookupByKey"); }

    default StorageVolRef volLookupByPath(String path) throws LibvirtException { throw unsupported("virStorageVolLookupByPath"); }

    default StorageVolRef volCreateXML(StoragePoolRef p, String xml, int flags) throws LibvirtException { throw unsupported("virStorageVolCreateXML"); }

    /** virStorageVolCreateXMLFrom: a new volume in p, made from the volume clone. */
    default StorageVolRef volCreateXMLFrom(StoragePoolRef p, String xml, StorageVolRef clone, int flags) throws LibvirtException {
        throw unsupported("virStorageVolCreateXMLFrom");
    }

    default void volDelete(StorageVolRef v, int flags) throws LibvirtException { throw unsupported("virStorageVolDelete"); }

    default StorageVolInfo volGetInfo(StorageVolRef v) throws LibvirtException { throw unsupported("virStorageVolGetInfo"); }

    /** virStorageVolGetInfoFlags: with VIR_STORAGE_VOL_GET_PHYSICAL (1) the allocation field holds the physical size. */
    default StorageVolInfo volGetInfoFlags(StorageVolRef v, int flags) throws LibvirtException { throw unsupported("virStorageVolGetInfoFlags"); }

    default String volGetXMLDesc(StorageVolRef v, int flags) throws LibvirtException { throw unsupported("virStorageVolGetXMLDesc"); }

    default void volResize(StorageVolRef v, long capacity, int flags) throws LibvirtException { throw unsupported("virStorageVolResize"); }

    default void volWipe(StorageVolRef v, int flags) throws LibvirtException { throw unsupported("virStorageVolWipe"); }

    default void volWipePattern(StorageVolRef v, int algorithm, int flags) throws LibvirtException { throw unsupported("virStorageVolWipePattern"); }

    default String volGetPath(StorageVolRef v) throws LibvirtException { throw unsupported("virStorageVolGetPath"); }

    /** virStorageVolUpload's stream: what is written goes into the volume from offset, at most length bytes (0: to the end). */
    default java.io.OutputStream volUpload(StorageVolRef v, long offset, long length, int flags) throws LibvirtException {
        throw unsupported("virStorageVolUpload");
    }

    /** virStorageVolDownload's stream: the volume's bytes from offset, at most length (0: to the end). */
    default java.io.InputStream volDownload(StorageVolRef v, long offset, long length, int flags) throws LibvirtException {
        throw unsupported("virStorageVolDownload");
    }
}
