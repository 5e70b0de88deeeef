package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StorageVol;
import org.jvirt.driver.api.StorageVolInfo;

/** Storage pools and their volumes: listing, lookup, define/build/start/stop/delete, volume create/delete/resize/wipe. */
final class StorageProcedures {
    private StorageProcedures() { }

    /** REMOTE_STORAGE_POOL_LIST_MAX and REMOTE_STORAGE_VOL_LIST_MAX. */
    private static final int LIST_MAX = 16384;

    static void register(ProcedureTable t) {
        registerPools(t);
        registerPoolLifecycle(t);
        registerVolumes(t);
    }

    private static void registerPools(ProcedureTable t) {
        t.add(CONNECT_LIST_ALL_STORAGE_POOLS, "virConnectListAllStoragePools", Access.READ, c -> {
            int need = c.readInt();
            c.writeAll(need, c.conn().listAllStoragePools(c.readInt()), c::writeStoragePool);
        });
        t.add(CONNECT_NUM_OF_STORAGE_POOLS, "virConnectNumOfStoragePools", Access.READ, c -> c.ret.writeInt(c.conn().numOfStoragePools()));
        t.add(CONNECT_NUM_OF_DEFINED_STORAGE_POOLS, "virConnectNumOfDefinedStoragePools", Access.READ,
                c -> c.ret.writeInt(c.conn().numOfDefinedStoragePools()));
        t.add(CONNECT_LIST_STORAGE_POOLS, "virConnectListStoragePools", Access.READ, c -> {
            int max = c.readMaxNames(LIST_MAX, "REMOTE_STORAGE_POOL_LIST_MAX");
            c.writeNames(c.conn().listStoragePools(), max);
        });
        t.add(CONNECT_LIST_DEFINED_STORAGE_POOLS, "virConnectListDefinedStoragePools", Access.READ, c -> {
            int max = c.readMaxNames(LIST_MAX, "REMOTE_STORAGE_POOL_LIST_MAX");
            c.writeNames(c.conn().listDefinedStoragePools(), max);
        });
        t.add(CONNECT_FIND_STORAGE_POOL_SOURCES, "virConnectFindStoragePoolSources", Access.READ, c -> {
            String type = c.readString("type");
            String spec = c.readOptionalString("srcSpec");
            c.ret.writeString(c.conn().findStoragePoolSources(type, spec, c.readInt()));
        });
        t.add(CONNECT_GET_STORAGE_POOL_CAPABILITIES, "virConnectGetStoragePoolCapabilities", Access.READ,
                c -> c.ret.writeString(c.conn().getStoragePoolCapabilities(c.readInt())));
        t.add(STORAGE_POOL_LOOKUP_BY_NAME, "virStoragePoolLookupByName", Access.READ,
                c -> c.writeStoragePool(c.conn().storagePoolLookupByName(c.readString("name"))));
        t.add(STORAGE_POOL_LOOKUP_BY_UUID, "virStoragePoolLookupByUUID", Access.READ,
                c -> c.writeStoragePool(c.conn().storagePoolLookupByUUIDString(c.readUuid())));
        t.add(STORAGE_POOL_LOOKUP_BY_VOLUME, "virStoragePoolLookupByVolume", Access.READ,
                c -> c.writeStoragePool(c.storageVol().storagePoolLookupByVolume()));
        t.add(STORAGE_POOL_GET_INFO, "virStoragePoolGetInfo", Access.READ, c -> {
            StoragePoolInfo i = c.storagePool().getInfo();
            c.ret.writeInt(i.state.ordinal()).writeHyper(i.capacity).writeHyper(i.allocation).writeHyper(i.available);
        });
        t.add(STORAGE_POOL_GET_XML_DESC, "virStoragePoolGetXMLDesc", Access.READ, c -> {
            StoragePool p = c.storagePool();
            c.ret.writeString(p.getXMLDesc(c.readInt()));
        });
        t.add(STORAGE_POOL_GET_AUTOSTART, "virStoragePoolGetAutostart", Access.READ,
                c -> c.ret.writeInt(c.storagePool().getAutostart() ? 1 : 0));
        t.add(STORAGE_POOL_IS_ACTIVE, "virStoragePoolIsActive", Access.READ, c -> c.ret.writeInt(c.storagePool().isActive()));
        t.add(STORAGE_POOL_IS_PERSISTENT, "virStoragePoolIsPersistent", Access.READ, c -> c.ret.writeInt(c.storagePool().isPersistent()));
    }

    private static void registerPoolLifecycle(ProcedureTable t) {
        t.add(STORAGE_POOL_DEFINE_XML, "virStoragePoolDefineXML", Access.WRITE, c -> {
            String xml = c.readString("xml");
            c.writeStoragePool(c.conn().storagePoolDefineXML(xml, c.readInt()));
        });
        t.add(STORAGE_POOL_CREATE_XML, "virStoragePoolCreateXML", Access.WRITE, c -> {
            String xml = c.readString("xml");
            c.writeStoragePool(c.conn().storagePoolCreateXML(xml, c.readInt()));
        });
        t.add(STORAGE_POOL_CREATE, "virStoragePoolCreate", Access.WRITE, c -> {
            StoragePool p = c.storagePool();
            p.create(c.readInt());
        });
        t.add(STORAGE_POOL_BUILD, "virStoragePoolBuild", Access.WRITE, c -> {
            StoragePool p = c.storagePool();
            p.build(c.readInt());
        });
        t.add(STORAGE_POOL_REFRESH, "virStoragePoolRefresh", Access.WRITE, c -> {
            StoragePool p = c.storagePool();
            p.refresh(c.readInt());
        });
        t.add(STORAGE_POOL_DELETE, "virStoragePoolDelete", Access.WRITE, c -> {
            StoragePool p = c.storagePool();
            p.delete(c.readInt());
        });
        t.add(STORAGE_POOL_DESTROY, "virStoragePoolDestroy", Access.WRITE, c -> c.storagePool().destroy());
        t.add(STORAGE_POOL_UNDEFINE, "virStoragePoolUndefine", Access.WRITE, c -> c.storagePool().undefine());
        t.add(STORAGE_POOL_SET_AUTOSTART, "virStoragePoolSetAutostart", Access.WRITE, c -> {
            StoragePool p = c.storagePool();
            p.setAutostart(c.readInt());
        });
    }

    private static void registerVolumes(ProcedureTable t) {
        t.add(STORAGE_POOL_LIST_ALL_VOLUMES, "virStoragePoolListAllVolumes", Access.READ, c -> {
            StoragePool p = c.storagePool();
            int need = c.readInt();
            c.readInt(); // flags: jvirt's API takes none (no filter flags exist)
            c.writeAll(need, p.listAllVolumes(), c::writeStorageVol);
        });
        t.add(STORAGE_POOL_NUM_OF_VOLUMES, "virStoragePoolNumOfVolumes", Access.READ, c -> c.ret.writeInt(c.storagePool().numOfVolumes()));
        t.add(STORAGE_POOL_LIST_VOLUMES, "virStoragePoolListVolumes", Access.READ, c -> {
            StoragePool p = c.storagePool();
            int max = c.readMaxNames(LIST_MAX, "REMOTE_STORAGE_VOL_LIST_MAX");
            c.writeNames(p.listVolumes(), max);
        });
        t.add(STORAGE_VOL_LOOKUP_BY_NAME, "virStorageVolLookupByName", Access.READ, c -> {
            StoragePool p = c.storagePool();
            c.writeStorageVol(p.storageVolLookupByName(c.readString("name")));
        });
        t.add(STORAGE_VOL_LOOKUP_BY_KEY, "virStorageVolLookupByKey", Access.READ,
                c -> c.writeStorageVol(c.conn().storageVolLookupByKey(c.readString("key"))));
        t.add(STORAGE_VOL_LOOKUP_BY_PATH, "virStorageVolLookupByPath", Access.READ,
                c -> c.writeStorageVol(c.conn().storageVolLookupByPath(c.readString("path"))));
        t.add(STORAGE_VOL_CREATE_XML, "virStorageVolCreateXML", Access.WRITE, c -> {
            StoragePool p = c.storagePool();
            String xml = c.readString("xml");
            c.writeStorageVol(p.storageVolCreateXML(xml, c.readInt()));
        });
        t.add(STORAGE_VOL_CREATE_XML_FROM, "virStorageVolCreateXMLFrom", Access.WRITE, c -> {
            StoragePool p = c.storagePool();
            String xml = c.readString("xml");
            StorageVol from = c.storageVol();
            c.writeStorageVol(p.storageVolCreateXMLFrom(xml, from, c.readInt()));
        });
        t.add(STORAGE_VOL_DELETE, "virStorageVolDelete", Access.WRITE, c -> {
            StorageVol v = c.storageVol();
            v.delete(c.readInt());
        });
        t.add(STORAGE_VOL_WIPE, "virStorageVolWipe", Access.WRITE, c -> {
            StorageVol v = c.storageVol();
            c.readInt(); // flags: jvirt's API takes none (libvirt defines none)
            v.wipe();
        });
        t.add(STORAGE_VOL_WIPE_PATTERN, "virStorageVolWipePattern", Access.WRITE, c -> {
            StorageVol v = c.storageVol();
            int algorithm = c.readInt();
            c.readInt(); // flags: as virStorageVolWipe
            v.wipePattern(algorithm);
        });
        t.add(STORAGE_VOL_RESIZE, "virStorageVolResize", Access.WRITE, c -> {
            StorageVol v = c.storageVol();
            long capacity = c.args.readHyper();
            v.resize(capacity, c.readInt());
        });
        t.add(STORAGE_VOL_GET_XML_DESC, "virStorageVolGetXMLDesc", Access.READ, c -> {
            StorageVol v = c.storageVol();
            c.ret.writeString(v.getXMLDesc(c.readInt()));
        });
        t.add(STORAGE_VOL_GET_INFO, "virStorageVolGetInfo", Access.READ, c -> {
            StorageVolInfo i = c.storageVol().getInfo();
            c.ret.writeInt(i.type.ordinal()).writeHyper(i.capacity).writeHyper(i.allocation);
        });
        t.add(STORAGE_VOL_GET_INFO_FLAGS, "virStorageVolGetInfoFlags", Access.READ, c -> {
            StorageVolInfo i = c.storageVol().getInfoFlags(c.readInt());
            c.ret.writeInt(i.type.ordinal()).writeHyper(i.capacity).writeHyper(i.allocation);
        });
        t.add(STORAGE_VOL_GET_PATH, "virStorageVolGetPath", Access.READ, c -> c.ret.writeString(c.storageVol().getPath()));
    }
}
