package org.jvirt.driver.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.InterfaceRef;
import org.jvirt.driver.spi.NetworkRef;
import org.jvirt.driver.spi.StoragePoolRef;
import org.jvirt.driver.spi.StorageVolRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.DriverRegistry;

/**
 * A connection to a hypervisor (virConnect), shaped after libvirt-java's {@code org.libvirt.Connect}.
 * The URI picks the driver: test:///default (libvirt's mock driver), jvirt:///session,
 * jvirt:///system, jvirt:///embed?root=DIR.
 */
public class Connect {

    /** The library version jvirt reports (the libvirt release whose behaviour it follows). */
    public static final long LIB_VERSION = 9_000_000L;

    private final DriverConnection driver;
    private final boolean readOnly;
    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private DomainEventListener bridge;
    private boolean closed;

    /** Opens the default URI (JVIRT_DEFAULT_URI, LIBVIRT_DEFAULT_URI, jvirt:///session). */
    public Connect() throws LibvirtException {
        this((String) null, false);
    }

    public Connect(String uri) throws LibvirtException {
        this(uri, false);
    }

    public Connect(String uri, boolean readOnly) throws LibvirtException {
        String target = uri == null ? DriverRegistry.defaultUri(System.getenv()) : uri;
        this.driver = DriverRegistry.open(target, readOnly);
        this.readOnly = readOnly;
    }

    /** Wraps an already open driver connection (for embedding and tests). */
    public static Connect wrap(DriverConnection driver, boolean readOnly) {
        return new Connect(driver, readOnly, true);
    }

    private Connect(DriverConnection driver, boolean readOnly, boolean wrapped) {
        this.driver = driver;
        this.readOnly = readOnly;
    }

    /**
     * The handle of a domain a caller already holds (name, uuid, id), without a lookup: as
     * libvirtd's get_nonnull_domain for a remote client's domain, the driver finds the domain
     * (or reports it missing) when the handle is used.
     */
    public Domain domainFor(DomainRef ref) {
        return new Domain(this, ref);
    }

    // ---- libvirt's internal migration v3 entry points (libvirt_internal.h), which libvirtd runs
    // for remote clients and jvirtd for its own; read-only connections are refused as libvirt does

    public boolean migrationSupported() throws LibvirtException { return driver().migrationSupported(); }

    public org.jvirt.driver.spi.MigrationPhase.Begin migrateBegin3Params(Domain d, List<TypedParameter> params, int flags) throws LibvirtException {
        checkWritable("virDomainMigrateBegin3Params");
        return driver().migrateBegin3(d.ref(), params, flags);
    }

    public org.jvirt.driver.spi.MigrationPhase.Prepared migratePrepare3Params(List<TypedParameter> params, byte[] cookie, int flags)
            throws LibvirtException {
        checkWritable("virDomainMigratePrepare3Params");
        return driver().migratePrepare3(params, cookie, flags);
    }

    public org.jvirt.driver.spi.MigrationPhase.PreparedTunnel migratePrepareTunnel3Params(List<TypedParameter> params, byte[] cookie, int flags)
            throws LibvirtException {
        checkWritable("virDomainMigratePrepareTunnel3Params");
        return driver().migratePrepareTunnel3(params, cookie, flags);
    }

    /** virConnectSupportsFeature (libvirt's internal feature numbers). */
    public boolean supportsFeature(int feature) throws LibvirtException { return driver().supportsFeature(feature); }

    public byte[] migratePerform3Params(Domain d, String dconnuri, List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        checkWritable("virDomainMigratePerform3Params");
        return driver().migratePerform3(d.ref(), dconnuri, params, cookie, flags);
    }

    public org.jvirt.driver.spi.MigrationPhase.Finished migrateFinish3Params(List<TypedParameter> params, byte[] cookie, int flags,
                                                                             boolean cancelled) throws LibvirtException {
        checkWritable("virDomainMigrateFinish3Params");
        return driver().migrateFinish3(params, cookie, flags, cancelled);
    }

    public void migrateConfirm3Params(Domain d, List<TypedParameter> params, byte[] cookie, int flags, boolean cancelled) throws LibvirtException {
        checkWritable("virDomainMigrateConfirm3Params");
        driver().migrateConfirm3(d.ref(), params, cookie, flags, cancelled);
    }

    /** A network handle without a lookup (libvirtd's get_nonnull_network), as {@link #domainFor}. */
    public Network networkFor(NetworkRef ref) {
        return new Network(this, ref);
    }

    /** A storage pool handle without a lookup (libvirtd's get_nonnull_storage_pool). */
    public StoragePool storagePoolFor(StoragePoolRef ref) {
        return new StoragePool(this, ref);
    }

    /** A storage volume handle without a lookup (libvirtd's get_nonnull_storage_vol). */
    public StorageVol storageVolFor(StorageVolRef ref) {
        return new StorageVol(this, ref);
    }

    /** A host interface handle without a lookup (libvirtd's get_nonnull_interface). */
    public Interface interfaceFor(InterfaceRef ref) {
        return new Interface(this, ref);
    }

    /** A node device handle without a lookup (libvirtd's virGetNodeDevice for a device named in a call). */
    public Device nodeDeviceFor(String name) {
        return new Device(this, name);
    }

    /** The default URI as the environment gives it. */
    public static String defaultUri(Map<String, String> env) {
        return DriverRegistry.defaultUri(env);
    }

    DriverConnection driver() throws LibvirtException {
        if (closed) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_INVALID_CONN, Error.ErrorDomain.VIR_FROM_NONE, "virConnect");
        }
        return driver;
    }

    /** Refuses a change on a read-only connection, naming the public API as libvirt does. */
    void checkWritable(String api) throws LibvirtException {
        if (readOnly) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_OPERATION_DENIED, Error.ErrorDomain.VIR_FROM_NONE,
                    "read only access prevents " + api);
        }
    }

    /**
     * virConnectSetKeepAlive: keepalive belongs to libvirt's remote protocol, so only the
     * remote driver has it (interval 0 or less: off); the local drivers refuse it as libvirt's do.
     */
    public int setKeepAlive(int interval, int count) throws LibvirtException {
        driver().setKeepAlive(interval, count);
        return 0;
    }

    /** virStreamNew: a stream for a call that fills it (Domain.screenshot). */
    public Stream streamNew(int flags) throws LibvirtException {
        driver();
        return new Stream(this);
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** Closes the connection; returns 0 like libvirt-java. */
    public int close() throws LibvirtException {
        if (!closed) {
            closed = true;
            if (bridge != null) driver.removeDomainEventListener(bridge);
            driver.close();
        }
        return 0;
    }

    public boolean isConnected() {
        return !closed;
    }

    public String getType() throws LibvirtException { return driver().getType(); }

    public long getVersion() throws LibvirtException { return driver().getVersion(); }

    public long getLibVersion() throws LibvirtException { driver(); return LIB_VERSION; }

    public String getHostName() throws LibvirtException { return driver().getHostName(); }

    public String getURI() throws LibvirtException { return driver().getURI(); }

    public String getCapabilities() throws LibvirtException { return driver().getCapabilities(); }

    public NodeInfo nodeInfo() throws LibvirtException { return driver().nodeInfo(); }

    public SecurityModel getSecurityModel() throws LibvirtException { return driver().nodeSecurityModel(); }

    /** virNodeGetCPUMap: one entry per host CPU, true when online. */
    public boolean[] getCPUMap() throws LibvirtException { return driver().nodeCpuMap(); }

    /** What a domain of this emulator, arch, machine and virt type can have (virConnectGetDomainCapabilities). */
    public String getDomainCapabilities(String emulatorbin, String arch, String machine, String virttype, int flags)
            throws LibvirtException {
        return driver().getDomainCapabilities(emulatorbin, arch, machine, virttype, flags);
    }

    /** The host's SMBIOS data as libvirt's sysinfo XML (virConnectGetSysinfo). */
    public String getSysinfo() throws LibvirtException { return driver().getSysinfo(0); }

    /**
     * Free memory in bytes of cell startCells, as libvirt-java's getCellsFreeMemory (which
     * returns the first cell's value only); {@link #cellsFreeMemory} gives every cell.
     */
    public long getCellsFreeMemory(int startCells, int maxCells) throws LibvirtException {
        long[] free = cellsFreeMemory(startCells, maxCells);
        return free.length == 0 ? 0 : free[0];
    }

    /** Free memory in bytes of up to maxCells NUMA cells from startCell (virNodeGetCellsFreeMemory). */
    public long[] cellsFreeMemory(int startCells, int maxCells) throws LibvirtException {
        if (startCells < 0) {
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "startCell in virNodeGetCellsFreeMemory must be zero or greater");
        }
        return driver().getCellsFreeMemory(startCells, maxCells);
    }

    /** Free memory of the host in bytes (virNodeGetFreeMemory). */
    public long getFreeMemory() throws LibvirtException { return driver().getFreeMemory(); }

    /** Host CPU times in ns (virNodeGetCPUStats; cpuNum -1 for all CPUs). */
    public NodeStatistic[] getNodeCpuStats(int cpuNum, int flags) throws LibvirtException {
        if (cpuNum < -1) {
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "cpuNum in virNodeGetCPUStats only accepts -1 as a negative value");
        }
        return driver().nodeCpuStats(cpuNum, flags).toArray(new NodeStatistic[0]);
    }

    /** Host memory in KiB (virNodeGetMemoryStats; cellNum -1 for the whole host). */
    public NodeStatistic[] getNodeMemoryStats(int cellNum, int flags) throws LibvirtException {
        if (cellNum < -1) {
            throw LibvirtException.unprefixed(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "cellNum in virNodeGetMemoryStats only accepts -1 as a negative value");
        }
        return driver().nodeMemoryStats(cellNum, flags).toArray(new NodeStatistic[0]);
    }

    /**
     * Statistics of every domain the filter keeps (virConnectGetAllDomainStats): stats is a
     * mask of Flags.DomainStatsTypes (0: all the driver has), flags Flags.GetAllDomainStats.
     */
    public DomainStats[] getAllDomainStats(int stats, int flags) throws LibvirtException {
        int listFlags = flags & 0xff;
        List<Domain> doms = new ArrayList<>();
        for (DomainRef r : driver().listAllDomains(listFlags)) doms.add(new Domain(this, r));
        return stats(doms, stats, flags);
    }

    /** The same for the given domains (virDomainListGetStats); the list filters apply to them too. */
    public DomainStats[] domainListGetStats(Domain[] doms, int stats, int flags) throws LibvirtException {
        List<Domain> kept = new ArrayList<>();
        int listFlags = flags & 0xff;
        java.util.Set<String> match = new java.util.HashSet<>();
        for (DomainRef r : driver().listAllDomains(listFlags)) match.add(r.uuid());
        for (Domain d : doms) if (listFlags == 0 || match.contains(d.getUUIDString())) kept.add(d);
        return stats(kept, stats, flags);
    }

    private DomainStats[] stats(List<Domain> doms, int stats, int flags) throws LibvirtException {
        DriverConnection drv = driver();
        int supported = drv.supportedDomainStats();
        if ((flags & Flags.GetAllDomainStats.ENFORCE_STATS) != 0 && (stats & ~supported) != 0) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, Error.ErrorDomain.VIR_FROM_NONE,
                    "Stats types bits 0x" + Integer.toHexString(stats & ~supported) + " are not supported by this daemon");
        }
        int groups = stats == 0 ? supported : stats & supported;
        List<DomainStats> out = new ArrayList<>();
        for (Domain d : doms) out.add(new DomainStats(d, drv.domainStats(d.ref(), groups, flags)));
        return out.toArray(new DomainStats[0]);
    }

    /** virConnectListAllDomains with Flags.ListAllDomains filters (0 = all). */
    public Domain[] listAllDomains(int flags) throws LibvirtException {
        List<Domain> out = new ArrayList<>();
        for (DomainRef r : driver().listAllDomains(flags)) out.add(new Domain(this, r));
        return out.toArray(new Domain[0]);
    }

    /** Ids of the active domains (virConnectListDomains). */
    public int[] listDomains() throws LibvirtException {
        return driver().listAllDomains(Flags.ListAllDomains.ACTIVE).stream().mapToInt(DomainRef::id).toArray();
    }

    /** Names of the inactive domains (virConnectListDefinedDomains). */
    public String[] listDefinedDomains() throws LibvirtException {
        return driver().listAllDomains(Flags.ListAllDomains.INACTIVE).stream().map(DomainRef::name).toArray(String[]::new);
    }

    public int numOfDomains() throws LibvirtException { return listDomains().length; }

    public int numOfDefinedDomains() throws LibvirtException { return listDefinedDomains().length; }

    public Domain domainLookupByName(String name) throws LibvirtException {
        return new Domain(this, driver().lookupByName(name));
    }

    public Domain domainLookupByUUIDString(String uuid) throws LibvirtException {
        return new Domain(this, driver().lookupByUUID(uuid));
    }

    public Domain domainLookupByUUID(UUID uuid) throws LibvirtException {
        return domainLookupByUUIDString(uuid.toString());
    }

    public Domain domainLookupByID(int id) throws LibvirtException {
        return new Domain(this, driver().lookupByID(id));
    }

    public Domain domainDefineXML(String xml) throws LibvirtException {
        checkWritable("virDomainDefineXML");
        return new Domain(this, driver().defineXML(xml));
    }

    public Domain domainDefineXML(String xml, int flags) throws LibvirtException {
        checkWritable("virDomainDefineXMLFlags");
        return new Domain(this, driver().defineXML(xml, flags));
    }

    /** Creates and starts a transient domain (virDomainCreateXML). */
    public Domain domainCreateXML(String xml, int flags) throws LibvirtException {
        checkWritable("virDomainCreateXML");
        return new Domain(this, driver().createXML(xml, flags));
    }

    /** Starts a domain from a saved image (virDomainRestore). */
    public int restore(String from) throws LibvirtException {
        checkWritable("virDomainRestore");
        driver().restore(from);
        return 0;
    }

    /**
     * virDomainRestoreFlags with Flags.Save (BYPASS_CACHE, RUNNING, PAUSED: the state to restore
     * into instead of the one the domain was saved in); no replacement XML yet.
     */
    public int restore(String from, int flags) throws LibvirtException {
        checkWritable("virDomainRestoreFlags");
        ExclusiveFlags.runningOrPaused(flags);
        driver().restore(from, flags);
        return 0;
    }

    /** virDomainRestoreFlags with a replacement domain XML (dxml null: the image's own). */
    public int restore(String from, String dxml, int flags) throws LibvirtException {
        if (dxml == null) return restore(from, flags);
        checkWritable("virDomainRestoreFlags");
        ExclusiveFlags.runningOrPaused(flags);
        driver().restore(from, dxml, flags);
        return 0;
    }

    /** The domain XML stored in a save image (virDomainSaveImageGetXMLDesc; Flags.DomainXml.SECURE). */
    public String saveImageGetXMLDesc(String file, int flags) throws LibvirtException {
        return driver().saveImageGetXMLDesc(file, flags);
    }

    /** Replaces the domain XML of a save image (virDomainSaveImageDefineXML; Flags.Save RUNNING/PAUSED). */
    public int saveImageDefineXML(String file, String dxml, int flags) throws LibvirtException {
        checkWritable("virDomainSaveImageDefineXML");
        ExclusiveFlags.runningOrPaused(flags);
        driver().saveImageDefineXML(file, dxml, flags);
        return 0;
    }

    /** Registers for lifecycle events of every domain (virConnectDomainEventRegisterAny, LIFECYCLE). */
    public synchronized void addLifecycleListener(LifecycleListener l) throws LibvirtException {
        if (bridge == null) {
            bridge = (ref, event, detail) -> {
                Domain dom = new Domain(this, ref);
                DomainEvent ev = new DomainEvent(DomainEvent.Type.values()[event], detail);
                for (LifecycleListener each : listeners) each.onLifecycleChange(dom, ev);
            };
            driver().addDomainEventListener(bridge);
        }
        listeners.add(l);
    }

    public void removeLifecycleListener(LifecycleListener l) {
        listeners.remove(l);
    }

    // ---------------------------------------------------------------- networks (virNetworkDriver)

    /** virConnectListAllNetworks with Flags.ListAllNetworks filters (0 = all). */
    public Network[] listAllNetworks(int flags) throws LibvirtException {
        return driver().networks().listAll(flags).stream().map(r -> new Network(this, r)).toArray(Network[]::new);
    }

    /** Names of the active networks (virConnectListNetworks). */
    public String[] listNetworks() throws LibvirtException {
        driver().networks().numOfNetworks();
        return driver().networks().listAll(Flags.ListAllNetworks.ACTIVE).stream().map(r -> r.name()).toArray(String[]::new);
    }

    /** Names of the inactive networks (virConnectListDefinedNetworks). */
    public String[] listDefinedNetworks() throws LibvirtException {
        driver().networks().numOfDefinedNetworks();
        return driver().networks().listAll(Flags.ListAllNetworks.INACTIVE).stream().map(r -> r.name()).toArray(String[]::new);
    }

    public int numOfNetworks() throws LibvirtException { return driver().networks().numOfNetworks(); }

    public int numOfDefinedNetworks() throws LibvirtException { return driver().networks().numOfDefinedNetworks(); }

    public Network networkLookupByName(String name) throws LibvirtException {
        return new Network(this, driver().networks().lookupByName(name));
    }

    public Network networkLookupByUUIDString(String uuid) throws LibvirtException {
        return new Network(this, driver().networks().lookupByUUID(uuid));
    }

    public Network networkDefineXML(String xml) throws LibvirtException {
        checkWritable("virNetworkDefineXML");
        return new Network(this, driver().networks().defineXML(xml, 0));
    }

    /** virNetworkDefineXMLFlags (1 = VIR_NETWORK_DEFINE_VALIDATE). */
    public Network networkDefineXML(String xml, int flags) throws LibvirtException {
        checkWritable("virNetworkDefineXMLFlags");
        return new Network(this, driver().networks().defineXML(xml, flags));
    }

    /** Creates and starts a transient network (virNetworkCreateXML). */
    public Network networkCreateXML(String xml) throws LibvirtException {
        checkWritable("virNetworkCreateXML");
        return new Network(this, driver().networks().createXML(xml, 0));
    }

    /** virNetworkCreateXMLFlags (1 = VIR_NETWORK_CREATE_VALIDATE). */
    public Network networkCreateXML(String xml, int flags) throws LibvirtException {
        checkWritable("virNetworkCreateXMLFlags");
        return new Network(this, driver().networks().createXML(xml, flags));
    }

    // ---------------------------------------------------------------- storage (virStorageDriver)

    /** virConnectListAllStoragePools with Flags.ListAllStoragePools filters and type bits (0 = all). */
    public StoragePool[] listAllStoragePools(int flags) throws LibvirtException {
        return driver().storage().listAllPools(flags).stream().map(r -> new StoragePool(this, r)).toArray(StoragePool[]::new);
    }

    /** Names of the active pools (virConnectListStoragePools). */
    public String[] listStoragePools() throws LibvirtException {
        driver().storage().numOfPools();
        return driver().storage().listAllPools(Flags.ListAllStoragePools.ACTIVE).stream().map(r -> r.name()).toArray(String[]::new);
    }

    /** Names of the inactive pools (virConnectListDefinedStoragePools). */
    public String[] listDefinedStoragePools() throws LibvirtException {
        driver().storage().numOfDefinedPools();
        return driver().storage().listAllPools(Flags.ListAllStoragePools.INACTIVE).stream().map(r -> r.name()).toArray(String[]::new);
    }

    public int numOfStoragePools() throws LibvirtException { return driver().storage().numOfPools(); }

    public int numOfDefinedStoragePools() throws LibvirtException { return driver().storage().numOfDefinedPools(); }

    public StoragePool storagePoolLookupByName(String name) throws LibvirtException {
        return new StoragePool(this, driver().storage().poolLookupByName(name));
    }

    public StoragePool storagePoolLookupByUUIDString(String uuid) throws LibvirtException {
        return new StoragePool(this, driver().storage().poolLookupByUUID(uuid));
    }

    public StoragePool storagePoolDefineXML(String xml, int flags) throws LibvirtException {
        checkWritable("virStoragePoolDefineXML");
        return new StoragePool(this, driver().storage().poolDefineXML(xml, flags));
    }

    /** Creates and starts a transient pool (virStoragePoolCreateXML). */
    public StoragePool storagePoolCreateXML(String xml, int flags) throws LibvirtException {
        checkWritable("virStoragePoolCreateXML");
        return new StoragePool(this, driver().storage().poolCreateXML(xml, flags));
    }

    /** The storage pool types the driver supports (virConnectGetStoragePoolCapabilities). */
    public String getStoragePoolCapabilities(int flags) throws LibvirtException {
        return driver().storage().getPoolCapabilities(flags);
    }

    /** Discovers possible sources of a pool type (virConnectFindStoragePoolSources); srcSpecs may be null. */
    public String findStoragePoolSources(String type, String srcSpecs, int flags) throws LibvirtException {
        return driver().storage().findPoolSources(type, srcSpecs, flags);
    }

    public StorageVol storageVolLookupByKey(String key) throws LibvirtException {
        return new StorageVol(this, driver().storage().volLookupByKey(key));
    }

    public StorageVol storageVolLookupByPath(String path) throws LibvirtException {
        return new StorageVol(this, driver().storage().volLookupByPath(path));
    }

    // ---------------------------------------------------------------- host interfaces and devices

    /** virConnectListAllInterfaces with Flags.ListAllInterfaces filters (0 = all). */
    public Interface[] listAllInterfaces(int flags) throws LibvirtException {
        return driver().interfaces().listAll(flags).stream().map(r -> new Interface(this, r)).toArray(Interface[]::new);
    }

    /** Names of the active interfaces (virConnectListInterfaces). */
    public String[] listInterfaces() throws LibvirtException {
        driver().interfaces().numOfInterfaces();
        return driver().interfaces().listAll(Flags.ListAllInterfaces.ACTIVE).stream().map(r -> r.name()).toArray(String[]::new);
    }

    /** Names of the inactive interfaces (virConnectListDefinedInterfaces). */
    public String[] listDefinedInterfaces() throws LibvirtException {
        driver().interfaces().numOfDefinedInterfaces();
        return driver().interfaces().listAll(Flags.ListAllInterfaces.INACTIVE).stream().map(r -> r.name()).toArray(String[]::new);
    }

    public int numOfInterfaces() throws LibvirtException { return driver().interfaces().numOfInterfaces(); }

    public int numOfDefinedInterfaces() throws LibvirtException { return driver().interfaces().numOfDefinedInterfaces(); }

    public Interface interfaceLookupByName(String name) throws LibvirtException {
        return new Interface(this, driver().interfaces().lookupByName(name));
    }

    public Interface interfaceLookupByMACString(String mac) throws LibvirtException {
        return new Interface(this, driver().interfaces().lookupByMACString(mac));
    }

    /** virInterfaceDefineXML (flags: 1 = VIR_INTERFACE_DEFINE_VALIDATE). */
    public Interface interfaceDefineXML(String xml, int flags) throws LibvirtException {
        checkWritable("virInterfaceDefineXML");
        return new Interface(this, driver().interfaces().defineXML(xml, flags));
    }

    /** Saves the interfaces' configuration for a later commit or rollback (virInterfaceChangeBegin). */
    public void interfaceChangeBegin() throws LibvirtException {
        checkWritable("virInterfaceChangeBegin");
        driver().interfaces().changeBegin(0);
    }

    public void interfaceChangeCommit() throws LibvirtException {
        checkWritable("virInterfaceChangeCommit");
        driver().interfaces().changeCommit(0);
    }

    public void interfaceChangeRollback() throws LibvirtException {
        checkWritable("virInterfaceChangeRollback");
        driver().interfaces().changeRollback(0);
    }

    /** virConnectListAllNodeDevices with Flags.ListAllNodeDevices and capability bits. */
    public Device[] listAllNodeDevices(int flags) throws LibvirtException {
        return driver().nodeDevices().listAll(flags).stream().map(n -> new Device(this, n)).toArray(Device[]::new);
    }

    /** Names of the devices with capability cap, or all when null (virNodeListDevices). */
    public String[] listDevices(String cap) throws LibvirtException {
        driver().nodeDevices().numOfDevices(cap, 0);
        int flags = cap == null ? 0 : 1 << Device.CAPS.indexOf(cap);
        return driver().nodeDevices().listAll(flags).toArray(String[]::new);
    }

    public int numOfDevices(String cap) throws LibvirtException { return driver().nodeDevices().numOfDevices(cap, 0); }

    public Device deviceLookupByName(String name) throws LibvirtException {
        return new Device(this, driver().nodeDevices().lookupByName(name));
    }

    /** The SCSI host device with this WWN pair (virNodeDeviceLookupSCSIHostByWWN). */
    public Device deviceLookupSCSIHostByWWN(String wwnn, String wwpn) throws LibvirtException {
        return new Device(this, driver().nodeDevices().lookupSCSIHostByWWN(wwnn, wwpn, 0));
    }
}
