package org.jvirt.driver.test.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StorageVolInfo;
import org.jvirt.driver.objxml.PoolDef;
import org.jvirt.driver.objxml.SchemaCheck;
import org.jvirt.driver.objxml.Uuids;
import org.jvirt.driver.objxml.VolumeDef;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.StorageDriver;
import org.jvirt.driver.spi.StoragePoolRef;
import org.jvirt.driver.spi.StorageVolRef;

/**
 * The test driver's storage (testStoragePool*, testStorageVol*): the "default-pool" dir pool,
 * active and persistent, no volumes; pools of 100 GiB whose allocation follows the volumes
 * created and deleted in them, with libvirt's checks and messages.
 */
public final class TestStorage implements StorageDriver {

    static final String DEFAULT_XML = "<pool type='dir'>\n  <name>default-pool</name>\n"
            + "  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\n  <target>\n    <path>/default-pool</path>\n"
            + "  </target>\n</pool>\n";

    private final List<TestPool> pools = new ArrayList<>();
    private final Supplier<UUID> uuids;

    public TestStorage(Supplier<UUID> uuids) {
        this.uuids = uuids;
        try {
            TestPool p = new TestPool(PoolDef.parse(DEFAULT_XML, uuids));
            p.active = true;
            p.persistent = true;
            pools.add(p);
        } catch (LibvirtException e) {
            throw new IllegalStateException("the default pool does not parse", e);
        }
    }

    private static LibvirtException invalid(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST, message);
    }

    /** testStoragePoolObjFindByName: how libvirt's test driver finds a handle's pool for most calls. */
    private TestPool find(StoragePoolRef ref) throws LibvirtException {
        for (TestPool p : pools) if (p.def.name().equals(ref.name())) return p;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorDomain.VIR_FROM_TEST,
                "no storage pool with matching name '" + ref.name() + "'");
    }

    /** testStoragePoolObjFindByUUID: what its IsActive, IsPersistent and ListAllVolumes use. */
    private TestPool findByUUID(StoragePoolRef ref) throws LibvirtException {
        for (TestPool p : pools) if (p.def.uuid().equals(ref.uuid())) return p;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorDomain.VIR_FROM_TEST,
                "no storage pool with matching uuid '" + ref.uuid() + "'");
    }

    private TestPool findActive(StoragePoolRef ref) throws LibvirtException {
        TestPool p = find(ref);
        if (!p.active) throw invalid("storage pool '" + p.def.name() + "' is not active");
        return p;
    }

    // ---------------------------------------------------------------- pools

    @Override
    public synchronized List<StoragePoolRef> listAllPools(int flags) {
        List<StoragePoolRef> out = new ArrayList<>();
        for (TestPool p : pools) if (matches(p, flags)) out.add(p.ref());
        return out;
    }

    private static boolean matches(TestPool p, int f) {
        return org.jvirt.driver.spi.StoragePoolFilter.matches(p.active, p.persistent, p.autostart, p.def.type(), f);
    }

    @Override public synchronized int numOfPools() { return (int) pools.stream().filter(p -> p.active).count(); }

    @Override public synchronized int numOfDefinedPools() { return (int) pools.stream().filter(p -> !p.active).count(); }

    @Override
    public synchronized StoragePoolRef poolLookupByName(String name) throws LibvirtException {
        for (TestPool p : pools) if (p.def.name().equals(name)) return p.ref();
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorDomain.VIR_FROM_TEST,
                "no storage pool with matching name '" + name + "'");
    }

    @Override
    public synchronized StoragePoolRef poolLookupByUUID(String uuid) throws LibvirtException {
        String canonical = Uuids.canonical(uuid);
        for (TestPool p : pools) if (p.def.uuid().equals(canonical)) return p.ref();
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorDomain.VIR_FROM_TEST,
                "no storage pool with matching uuid '" + uuid + "'");
    }

    @Override
    public synchronized StoragePoolRef poolLookupByVolume(StorageVolRef v) throws LibvirtException {
        return poolLookupByName(v.pool());
    }

    /** virStoragePoolObjListAdd's checks: the same name with another uuid, or the same uuid with another name, is refused. */
    private TestPool existing(PoolDef def) throws LibvirtException {
        for (TestPool p : pools) {
            if (p.def.uuid().equals(def.uuid())) {
                if (!p.def.name().equals(def.name())) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_STORAGE,
                            "pool '" + p.def.name() + "' is already defined with uuid " + p.def.uuid());
                }
                return p;
            }
            if (p.def.name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_STORAGE,
                        "pool '" + p.def.name() + "' already exists with uuid " + p.def.uuid());
            }
        }
        return null;
    }

    @Override
    public synchronized StoragePoolRef poolDefineXML(String xml, int flags) throws LibvirtException {
        CheckFlags.check(flags, 1, "testStoragePoolDefineXML");
        if ((flags & 1) != 0) SchemaCheck.validate(xml, "storagepool.rng");
        PoolDef def = PoolDef.parse(xml, uuids);
        TestPool p = existing(def);
        if (p == null) {
            p = new TestPool(def);
            pools.add(p);
        } else if (!p.active) {
            p.def = def;
        }
        // a running pool keeps its definition: libvirt's test driver never applies the new one
        p.persistent = true;
        return p.ref();
    }

    @Override
    public synchronized StoragePoolRef poolCreateXML(String xml, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testStoragePoolCreateXML");
        PoolDef def = PoolDef.parse(xml, uuids);
        TestPool p = existing(def);
        if (p != null && p.active) throw invalid("storage pool '" + p.def.name() + "' is already active");
        if (p == null) {
            p = new TestPool(def);
            pools.add(p);
        }
        p.active = true;
        return p.ref();
    }

    @Override
    public synchronized void poolCreate(StoragePoolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testStoragePoolCreate");
        TestPool p = find(ref);
        if (p.active) throw invalid("storage pool '" + p.def.name() + "' is active");
        p.active = true;
    }

    @Override
    public synchronized void poolDestroy(StoragePoolRef ref) throws LibvirtException {
        TestPool p = findActive(ref);
        p.active = false;
        if (!p.persistent) pools.remove(p);
    }

    @Override
    public synchronized void poolUndefine(StoragePoolRef ref) throws LibvirtException {
        TestPool p = find(ref);
        if (p.active) throw invalid("storage pool '" + p.def.name() + "' is active");
        pools.remove(p);
    }

    @Override
    public synchronized void poolRefresh(StoragePoolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testStoragePoolRefresh");
        findActive(ref);
    }

    /** testStoragePoolBuild: only an inactive pool, without flags; nothing to do for a mock. */
    @Override
    public synchronized void poolBuild(StoragePoolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testStoragePoolBuild");
        TestPool p = find(ref);
        if (p.active) throw invalid("storage pool '" + p.def.name() + "' is active");
    }

    /** testStoragePoolDelete: only an inactive pool; its definition stays. */
    @Override
    public synchronized void poolDelete(StoragePoolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testStoragePoolDelete");
        TestPool p = find(ref);
        if (p.active) throw invalid("storage pool '" + p.def.name() + "' is active");
    }

    @Override
    public synchronized StoragePoolInfo poolGetInfo(StoragePoolRef ref) throws LibvirtException {
        TestPool p = find(ref);
        return new StoragePoolInfo(p.active ? StoragePoolInfo.StoragePoolState.VIR_STORAGE_POOL_RUNNING
                : StoragePoolInfo.StoragePoolState.VIR_STORAGE_POOL_INACTIVE, p.capacity, p.allocation, p.available());
    }

    @Override
    public synchronized String poolGetXMLDesc(StoragePoolRef ref, int flags) throws LibvirtException {
        TestPool p = find(ref);
        CheckFlags.check(flags, 0, "testStoragePoolGetXMLDesc");
        return p.def.format(p.capacity, p.allocation, p.available());
    }

    @Override public synchronized boolean poolGetAutostart(StoragePoolRef ref) throws LibvirtException { return find(ref).autostart; }

    @Override
    public synchronized void poolSetAutostart(StoragePoolRef ref, boolean on) throws LibvirtException {
        TestPool p = find(ref);
        if (!p.persistent) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST, "pool has no config file");
        }
        p.autostart = on;
    }

    @Override public synchronized boolean poolIsActive(StoragePoolRef ref) throws LibvirtException { return findByUUID(ref).active; }

    @Override public synchronized boolean poolIsPersistent(StoragePoolRef ref) throws LibvirtException { return findByUUID(ref).persistent; }

    /** defaultPoolSourcesLogicalXML: the two volume groups the test driver "finds". */
    private static final String LOGICAL_SOURCES = "<sources>\n  <source>\n    <device path='/dev/sda20'/>\n"
            + "    <name>testvg1</name>\n    <format type='lvm2'/>\n  </source>\n  <source>\n"
            + "    <device path='/dev/sda21'/>\n    <name>testvg2</name>\n    <format type='lvm2'/>\n  </source>\n</sources>\n";

    /**
     * testConnectFindStoragePoolSources: fixed logical sources, an NFS share on the host the
     * spec names; its quirks kept ("dir", type number 0, counts as unknown).
     */
    @Override
    public synchronized String findPoolSources(String type, String srcSpec, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testConnectFindStoragePoolSources");
        int index = List.of("dir", "fs", "netfs", "logical", "disk", "iscsi", "iscsi-direct", "scsi", "mpath", "rbd",
                "sheepdog", "gluster", "zfs", "vstorage").indexOf(type);
        if (index == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST, "unknown storage pool type " + type);
        }
        if (type.equals("logical")) return LOGICAL_SOURCES;
        if (!type.equals("netfs")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_SUPPORT, ErrorDomain.VIR_FROM_TEST,
                    "pool type '" + type + "' does not support source discovery");
        }
        String host = null;
        if (srcSpec != null) {
            org.jvirt.xml.model.SourceTree.Element source = org.jvirt.driver.objxml.ObjectXml.parse(srcSpec, "source", "(storage_source_specification)");
            org.jvirt.xml.model.SourceTree.Element h = org.jvirt.driver.objxml.ObjectXml.child(source, "host");
            if (h != null) host = org.jvirt.driver.objxml.ObjectXml.attr(h, "name");
        }
        if (host == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "hostname must be specified for netfs sources");
        }
        return "<sources>\n  <source>\n    <host name='" + org.jvirt.driver.objxml.XmlOut.escape(host) + "'/>\n"
                + "    <dir path='/testshare'/>\n    <format type='nfs'/>\n  </source>\n</sources>\n";
    }

    // ---------------------------------------------------------------- volumes

    @Override
    public synchronized List<StorageVolRef> listAllVolumes(StoragePoolRef ref) throws LibvirtException {
        TestPool p = findByUUID(ref);
        if (!p.active) throw invalid("storage pool is not active");
        return p.volumes.stream().map(TestVolume::ref).toList();
    }

    @Override
    public synchronized StorageVolRef volLookupByName(StoragePoolRef ref, String name) throws LibvirtException {
        TestPool p = findActive(ref);
        for (TestVolume v : p.volumes) if (v.def().name().equals(name)) return v.ref();
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, ErrorDomain.VIR_FROM_TEST,
                "no storage vol with matching name '" + name + "'");
    }

    /** The volumes of the active pools, where key and path lookups search. */
    private List<TestVolume> activeVolumes() {
        List<TestVolume> out = new ArrayList<>();
        for (TestPool p : pools) if (p.active) out.addAll(p.volumes);
        return out;
    }

    @Override
    public synchronized StorageVolRef volLookupByKey(String key) throws LibvirtException {
        for (TestVolume v : activeVolumes()) if (v.path().equals(key)) return v.ref();
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, ErrorDomain.VIR_FROM_TEST,
                "no storage vol with matching key '" + key + "'");
    }

    @Override
    public synchronized StorageVolRef volLookupByPath(String path) throws LibvirtException {
        for (TestVolume v : activeVolumes()) if (v.path().equals(path)) return v.ref();
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, ErrorDomain.VIR_FROM_TEST,
                "no storage vol with matching path '" + path + "'");
    }

    private TestVolume volume(StorageVolRef ref) throws LibvirtException {
        for (TestPool p : pools) {
            if (!p.def.name().equals(ref.pool())) continue;
            if (!p.active) throw invalid("storage pool '" + p.def.name() + "' is not active");
            for (TestVolume v : p.volumes) if (v.def().name().equals(ref.name())) return v;
        }
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, ErrorDomain.VIR_FROM_TEST,
                "no storage vol with matching name '" + ref.name() + "'");
    }

    @Override
    public synchronized StorageVolRef volCreateXML(StoragePoolRef ref, String xml, int flags) throws LibvirtException {
        // VIR_STORAGE_VOL_CREATE_VALIDATE (4)
        CheckFlags.check(flags, 4, "testStorageVolCreateXML");
        TestPool p = findActive(ref);
        if ((flags & 4) != 0) SchemaCheck.validate(xml, "storagevol.rng");
        VolumeDef def = VolumeDef.parse(xml, p.def.type());
        for (TestVolume v : p.volumes) {
            if (v.def().name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_TEST,
                        "storage vol already exists");
            }
        }
        return add(p, def);
    }

    /** Adds a volume to p, if its allocation fits in what p has left. */
    private static StorageVolRef add(TestPool p, VolumeDef def) throws LibvirtException {
        if (p.allocation + def.allocation() > p.capacity) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "Not enough free space in pool for volume '" + def.name() + "'");
        }
        // a pool without a target path (rbd...) gives "(null)/NAME", as the C driver's printf does
        String dir = p.def.targetPath() == null ? "(null)" : p.def.targetPath();
        TestVolume v = new TestVolume(p, def, dir + "/" + def.name());
        p.volumes.add(v);
        p.allocation += def.allocation();
        return v.ref();
    }

    /** testStorageVolCreateXMLFrom: the source volume is looked up by name in the target pool. */
    @Override
    public synchronized StorageVolRef volCreateXMLFrom(StoragePoolRef ref, String xml, StorageVolRef clone, int flags)
            throws LibvirtException {
        CheckFlags.check(flags, 0, "testStorageVolCreateXMLFrom");
        TestPool p = findActive(ref);
        VolumeDef def = VolumeDef.parse(xml, p.def.type());
        for (TestVolume v : p.volumes) {
            if (v.def().name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_TEST,
                        "storage vol already exists");
            }
        }
        if (p.volumes.stream().noneMatch(v -> v.def().name().equals(clone.name()))) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, ErrorDomain.VIR_FROM_TEST,
                    "no storage vol with matching name '" + clone.name() + "'");
        }
        return add(p, def);
    }

    @Override
    public synchronized void volDelete(StorageVolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testStorageVolDelete");
        TestVolume v = volume(ref);
        v.pool().allocation -= v.def().allocation();
        v.pool().volumes.remove(v);
    }

    @Override
    public synchronized StorageVolInfo volGetInfo(StorageVolRef ref) throws LibvirtException {
        TestVolume v = volume(ref);
        return new StorageVolInfo(volType(v.pool().def.type()), v.def().capacity(), v.def().allocation());
    }

    /** virStorageVolTypeForPool: what kind of volume a pool of this type holds. */
    private static StorageVolInfo.VirStorageVolType volType(String poolType) {
        return switch (poolType) {
            case "sheepdog", "iscsi-direct", "gluster", "rbd" -> StorageVolInfo.VirStorageVolType.VIR_STORAGE_VOL_NETWORK;
            case "logical", "disk", "mpath", "iscsi", "scsi", "zfs" -> StorageVolInfo.VirStorageVolType.VIR_STORAGE_VOL_BLOCK;
            default -> StorageVolInfo.VirStorageVolType.VIR_STORAGE_VOL_FILE;
        };
    }

    @Override
    public synchronized String volGetXMLDesc(StorageVolRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testStorageVolGetXMLDesc");
        TestVolume v = volume(ref);
        return v.def().format(v.path(), v.def().allocation());
    }

    @Override public synchronized String volGetPath(StorageVolRef ref) throws LibvirtException { return volume(ref).path(); }
}
