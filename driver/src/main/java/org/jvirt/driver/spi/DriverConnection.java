package org.jvirt.driver.spi;

import java.util.List;
import org.jvirt.driver.api.DomainBlockInfo;
import org.jvirt.driver.api.DomainBlockStats;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainInterfaceStats;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.MemoryStatistic;
import org.jvirt.driver.api.NodeInfo;
import org.jvirt.driver.api.NodeStatistic;
import org.jvirt.driver.api.SecurityLabel;
import org.jvirt.driver.api.SecurityModel;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.api.VcpuInfo;

/**
 * One open connection of a driver: libvirt's driver table, reduced to what jvirt serves.
 * Methods a driver does not implement keep the default, which fails like libvirt does for a
 * missing driver entry (VIR_ERR_NO_SUPPORT).
 */
public interface DriverConnection extends AutoCloseable {

    // ---- connection ----
    String getType() throws LibvirtException;

    /** Hypervisor version, encoded as major * 1,000,000 + minor * 1,000 + release. */
    long getVersion() throws LibvirtException;

    String getHostName() throws LibvirtException;

    String getURI() throws LibvirtException;

    String getCapabilities() throws LibvirtException;

    NodeInfo nodeInfo() throws LibvirtException;

    default SecurityModel nodeSecurityModel() throws LibvirtException { return new SecurityModel("", ""); }

    /** Number of host CPUs and the online map, as virNodeGetCPUMap. */
    default boolean[] nodeCpuMap() throws LibvirtException { throw unsupported("virNodeGetCPUMap"); }

    @Override
    void close() throws LibvirtException;

    /** virConnectSetKeepAlive: a remote connection's PING interval (s) and unanswered count; local drivers have none. */
    default void setKeepAlive(int interval, int count) throws LibvirtException { throw unsupported("virConnectSetKeepAlive"); }

    // ---- host statistics ----
    default String getDomainCapabilities(String emulatorBin, String arch, String machine, String virtType, int flags) throws LibvirtException { throw unsupported("virConnectGetDomainCapabilities"); }

    default String getSysinfo(int flags) throws LibvirtException { throw unsupported("virConnectGetSysinfo"); }

    /** Free memory of NUMA cells from startCell (at most maxCells), in bytes as libvirt documents it. */
    default long[] getCellsFreeMemory(int startCell, int maxCells) throws LibvirtException { throw unsupported("virNodeGetCellsFreeMemory"); }

    default long getFreeMemory() throws LibvirtException { throw unsupported("virNodeGetFreeMemory"); }

    /** virNodeGetCPUStats (cpuNum -1: all CPUs), nanoseconds. */
    default List<NodeStatistic> nodeCpuStats(int cpuNum, int flags) throws LibvirtException { throw unsupported("virNodeGetCPUStats"); }

    /** virNodeGetMemoryStats (cellNum -1: all cells), KiB. */
    default List<NodeStatistic> nodeMemoryStats(int cellNum, int flags) throws LibvirtException { throw unsupported("virNodeGetMemoryStats"); }

    // ---- domains ----
    List<DomainRef> listAllDomains(int flags) throws LibvirtException;

    DomainRef lookupByName(String name) throws LibvirtException;

    DomainRef lookupByUUID(String uuid) throws LibvirtException;

    DomainRef lookupByID(int id) throws LibvirtException;

    DomainRef defineXML(String xml, int flags) throws LibvirtException;

    /** virDomainDefineXML, the API without flags (a remote driver sends its own procedure for it). */
    default DomainRef defineXML(String xml) throws LibvirtException {
        return defineXML(xml, 0);
    }

    DomainRef createXML(String xml, int flags) throws LibvirtException;

    void create(DomainRef d, int flags) throws LibvirtException;

    void shutdown(DomainRef d, int flags) throws LibvirtException;

    void reboot(DomainRef d, int flags) throws LibvirtException;

    void destroy(DomainRef d, int flags) throws LibvirtException;

    void suspend(DomainRef d) throws LibvirtException;

    void resume(DomainRef d) throws LibvirtException;

    void undefine(DomainRef d, int flags) throws LibvirtException;

    DomainInfo getInfo(DomainRef d) throws LibvirtException;

    DomainStateReason getState(DomainRef d) throws LibvirtException;

    /** The domain's current id (-1 when inactive). */
    int getID(DomainRef d) throws LibvirtException;

    String getXMLDesc(DomainRef d, int flags) throws LibvirtException;

    String getOSType(DomainRef d) throws LibvirtException;

    boolean getAutostart(DomainRef d) throws LibvirtException;

    void setAutostart(DomainRef d, boolean autostart) throws LibvirtException;

    boolean isActive(DomainRef d) throws LibvirtException;

    boolean isPersistent(DomainRef d) throws LibvirtException;

    default boolean hasManagedSaveImage(DomainRef d) throws LibvirtException { return false; }

    /** Saves a running persistent domain's state for the next start and stops it (virDomainManagedSave). */
    default void managedSave(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainManagedSave"); }

    default void managedSaveRemove(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainManagedSaveRemove"); }

    /** The domain XML kept with the managed save image (virDomainManagedSaveGetXMLDesc). */
    default String managedSaveGetXMLDesc(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainManagedSaveGetXMLDesc"); }

    default void managedSaveDefineXML(DomainRef d, String xml, int flags) throws LibvirtException { throw unsupported("virDomainManagedSaveDefineXML"); }

    /** Renames an inactive domain (virDomainRename). */
    default void rename(DomainRef d, String newName, int flags) throws LibvirtException { throw unsupported("virDomainRename"); }

    /** Resets a running domain as by its reset button (virDomainReset). */
    default void reset(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainReset"); }

    void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException;

    void setVcpusFlags(DomainRef d, int count, int flags) throws LibvirtException;

    int getVcpusFlags(DomainRef d, int flags) throws LibvirtException;

    default List<VcpuInfo> getVcpus(DomainRef d) throws LibvirtException { throw unsupported("virDomainGetVcpus"); }

    default List<MemoryStatistic> memoryStats(DomainRef d) throws LibvirtException { throw unsupported("virDomainMemoryStats"); }

    default void setMemoryStatsPeriod(DomainRef d, int period, int flags) throws LibvirtException { throw unsupported("virDomainSetMemoryStatsPeriod"); }

    default SecurityLabel getSecurityLabel(DomainRef d) throws LibvirtException { return new SecurityLabel("", false); }

    /** virDomainUpdateDeviceFlags: xml is one device element; flags Flags.Affect and Flags.DeviceModify. */
    default void updateDeviceFlags(DomainRef d, String xml, int flags) throws LibvirtException { throw unsupported("virDomainUpdateDeviceFlags"); }

    /** Title, description or the element of namespace uri (Flags.Metadata), as virDomainGetMetadata. */
    String getMetadata(DomainRef d, int type, String uri, int flags) throws LibvirtException;

    /** virDomainSetMetadata: value null or empty removes; key is the element's namespace prefix. */
    void setMetadata(DomainRef d, int type, String value, String key, String uri, int flags) throws LibvirtException;

    // ---- scheduler, jobs, block and interface statistics ----
    /** virDomainGetSchedulerType: the scheduler's name and how many parameters it has. */
    default String getSchedulerType(DomainRef d) throws LibvirtException { throw unsupported("virDomainGetSchedulerType"); }

    default List<TypedParameter> getSchedulerParameters(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainGetSchedulerParameters"); }

    default void setSchedulerParameters(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException { throw unsupported("virDomainSetSchedulerParameters"); }

    default DomainJobInfo getJobStats(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainGetJobStats"); }

    default DomainBlockInfo blockInfo(DomainRef d, String path) throws LibvirtException { throw unsupported("virDomainGetBlockInfo"); }

    default DomainBlockStats blockStats(DomainRef d, String path) throws LibvirtException { throw unsupported("virDomainBlockStats"); }

    default DomainInterfaceStats interfaceStats(DomainRef d, String device) throws LibvirtException { throw unsupported("virDomainInterfaceStats"); }

    /** virDomainInterfaceAddresses: source is libvirt's number (0 lease, 1 agent, 2 arp), checked by the driver. */
    default List<org.jvirt.driver.api.DomainInterface> interfaceAddresses(DomainRef d, int source, int flags) throws LibvirtException {
        throw unsupported("virDomainInterfaceAddresses");
    }

    /** One domain's statistics of the groups asked for (Flags.DomainStatsTypes; 0: every group the driver has). */
    default List<TypedParameter> domainStats(DomainRef d, int stats, int flags) throws LibvirtException { throw unsupported("virConnectGetAllDomainStats"); }

    /** The groups domainStats can report (a stats mask asked with ENFORCE_STATS must be within it). */
    default int supportedDomainStats() { return 0; }

    default void save(DomainRef d, String path) throws LibvirtException { throw unsupported("virDomainSave"); }

    /** virDomainSaveFlags (Flags.Save; dxml: the XML to keep in the image instead, may be null). */
    default void save(DomainRef d, String path, String dxml, int flags) throws LibvirtException {
        if (flags != 0 || dxml != null) throw unsupported("virDomainSaveFlags");
        save(d, path);
    }

    default DomainRef restore(String path) throws LibvirtException { throw unsupported("virDomainRestore"); }

    /** virDomainRestoreFlags (Flags.Save); a driver without it takes no flags. */
    default DomainRef restore(String path, int flags) throws LibvirtException {
        if (flags != 0) throw unsupported("virDomainRestoreFlags");
        return restore(path);
    }

    /** virDomainRestoreFlags with a replacement XML (dxml null: the image's own). */
    default DomainRef restore(String path, String dxml, int flags) throws LibvirtException {
        if (dxml != null) throw unsupported("virDomainRestoreFlags");
        return restore(path, flags);
    }

    /** The domain XML of a save image (virDomainSaveImageGetXMLDesc). */
    default String saveImageGetXMLDesc(String path, int flags) throws LibvirtException { throw unsupported("virDomainSaveImageGetXMLDesc"); }

    /** Replaces the domain XML of a save image (virDomainSaveImageDefineXML). */
    default void saveImageDefineXML(String path, String dxml, int flags) throws LibvirtException { throw unsupported("virDomainSaveImageDefineXML"); }

    /** Opens the domain's console (devName null: the first console or serial), as virDomainOpenConsole. */
    default ConsoleStream openConsole(DomainRef d, String devName, int flags) throws LibvirtException { throw unsupported("virDomainOpenConsole"); }

    /**
     * virDomainScreenshot: the image of a screen (its MIME type and bytes, read to the end then
     * closed; closing early aborts), as the driver's stream carries it.
     */
    default Screenshot screenshot(DomainRef d, int screen, int flags) throws LibvirtException { throw unsupported("virDomainScreenshot"); }

    /** virDomainSendKey: presses the keys (codeset: org.jvirt.driver.keycode.Keycodes), holds them holdtime ms, releases them. */
    default void sendKey(DomainRef d, int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException { throw unsupported("virDomainSendKey"); }

    default void addDomainEventListener(DomainEventListener l) throws LibvirtException { throw unsupported("virConnectDomainEventRegisterAny"); }

    default void removeDomainEventListener(DomainEventListener l) { }

    // ---- snapshots ----
    default SnapshotRef snapshotCreateXML(DomainRef d, String xml, int flags) throws LibvirtException { throw unsupported("virDomainSnapshotCreateXML"); }

    /** Snapshot names in the driver's order, filtered by Flags.SnapshotList. */
    default List<String> snapshotListNames(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainSnapshotListNames"); }

    default SnapshotRef snapshotLookupByName(DomainRef d, String name) throws LibvirtException { throw unsupported("virDomainSnapshotLookupByName"); }

    default boolean hasCurrentSnapshot(DomainRef d) throws LibvirtException { throw unsupported("virDomainHasCurrentSnapshot"); }

    default SnapshotRef snapshotCurrent(DomainRef d) throws LibvirtException { throw unsupported("virDomainSnapshotCurrent"); }

    default String snapshotGetXMLDesc(SnapshotRef s, int flags) throws LibvirtException { throw unsupported("virDomainSnapshotGetXMLDesc"); }

    /** The parent's name, or null for a root. */
    default String snapshotParentName(SnapshotRef s) throws LibvirtException { throw unsupported("virDomainSnapshotGetParent"); }

    default boolean snapshotIsCurrent(SnapshotRef s) throws LibvirtException { throw unsupported("virDomainSnapshotIsCurrent"); }

    default List<String> snapshotListChildrenNames(SnapshotRef s, int flags) throws LibvirtException { throw unsupported("virDomainSnapshotListChildrenNames"); }

    default void snapshotDelete(SnapshotRef s, int flags) throws LibvirtException { throw unsupported("virDomainSnapshotDelete"); }

    default void revertToSnapshot(SnapshotRef s, int flags) throws LibvirtException { throw unsupported("virDomainRevertToSnapshot"); }

    // ---- live migration: libvirt's migration protocol v3 with parameters (the five phases of
    // virDomainMigrateVersion3Full; params are libvirt's VIR_MIGRATE_PARAM_* typed parameters)
    /** Whether this driver takes part in migration v3 with parameters (features MIGRATION_V3 and MIGRATION_PARAMS). */
    default boolean migrationSupported() { return false; }

    /** virDomainMigrateSetMaxDowntime: the longest pause of a migration's last round, ms. */
    default void migrateSetMaxDowntime(DomainRef d, long ms, int flags) throws LibvirtException { throw unsupported("virDomainMigrateSetMaxDowntime"); }

    default long migrateGetMaxDowntime(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainMigrateGetMaxDowntime"); }

    /** virDomainMigrateSetMaxSpeed: the bandwidth a migration may use, MiB/s. */
    default void migrateSetMaxSpeed(DomainRef d, long mibPerSecond, int flags) throws LibvirtException { throw unsupported("virDomainMigrateSetMaxSpeed"); }

    default long migrateGetMaxSpeed(DomainRef d, int flags) throws LibvirtException { throw unsupported("virDomainMigrateGetMaxSpeed"); }

    /** virDomainAbortJob / virDomainAbortJobFlags: cancels the domain's running job (an outgoing migration). */
    default void abortJob(DomainRef d, int flags) throws LibvirtException {
        throw unsupported(flags == 0 ? "virDomainAbortJob" : "virDomainAbortJobFlags");
    }

    /** Source, phase 1: the domain's XML for the destination and a cookie. */
    default MigrationPhase.Begin migrateBegin3(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        throw unsupported("virDomainMigrateBegin3Params");
    }

    /** Destination, phase 2: makes the domain wait for the incoming state; where to send it. */
    default MigrationPhase.Prepared migratePrepare3(List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        throw unsupported("virDomainMigratePrepare3Params");
    }

    /**
     * Destination, phase 2 of a tunnelled migration (peer-to-peer only): the domain waits for the
     * incoming state, which arrives on the returned stream instead of a connection of its own.
     */
    default MigrationPhase.PreparedTunnel migratePrepareTunnel3(List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        throw unsupported("virDomainMigratePrepareTunnel3Params");
    }

    /** virConnectIsAlive: false once the connection broke (a remote daemon that went away). */
    default boolean isAlive() { return true; }

    /**
     * virConnectSupportsFeature: whether the driver has a VIR_DRV_FEATURE_* (libvirt's numbers,
     * org.jvirt.rpc.Features), e.g. the migration features libvirt.c asks before it migrates (V3,
     * PARAMS, P2P, DIRECT, OFFLINE, CHANGE_PROTECTION): by default V3 and PARAMS where the driver
     * migrates, the others only where a driver says so.
     */
    default boolean supportsFeature(int feature) throws LibvirtException {
        return (feature == org.jvirt.rpc.Features.MIGRATION_V3 || feature == org.jvirt.rpc.Features.MIGRATION_PARAMS) && migrationSupported();
    }

    /** Source, phase 3: sends the domain; returns once it runs on the destination (the source left paused). */
    default byte[] migratePerform3(DomainRef d, String dconnuri, List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        throw unsupported("virDomainMigratePerform3Params");
    }

    /** Destination, phase 4: the domain runs here (or, cancelled, is removed). */
    default MigrationPhase.Finished migrateFinish3(List<TypedParameter> params, byte[] cookie, int flags, boolean cancelled) throws LibvirtException {
        throw unsupported("virDomainMigrateFinish3Params");
    }

    /** Source, phase 5: ends the source (or, cancelled, runs it again). */
    default void migrateConfirm3(DomainRef d, List<TypedParameter> params, byte[] cookie, int flags, boolean cancelled) throws LibvirtException {
        throw unsupported("virDomainMigrateConfirm3Params");
    }

    // ---- other driver tables (libvirt's network, storage, interface and node device drivers) ----
    /** The connection's network driver; NONE (every call unsupported) when it has none. */
    default NetworkDriver networks() { return NetworkDriver.NONE; }

    default StorageDriver storage() { return StorageDriver.NONE; }

    default InterfaceDriver interfaces() { return InterfaceDriver.NONE; }

    default NodeDeviceDriver nodeDevices() { return NodeDeviceDriver.NONE; }

    /** The error libvirt raises for a driver entry that is missing. */
    static LibvirtException unsupported(String function) {
        return new LibvirtException(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_NO_SUPPORT, apiFileDomain(function), function);
    }

    /**
     * libvirt reports a missing entry from the public API's file (VIR_FROM_THIS): libvirt-network.c,
     * libvirt-storage.c, libvirt-interface.c, libvirt-nodedev.c have their own domains; the others stay VIR_FROM_NONE here.
     */
    private static org.jvirt.driver.api.Error.ErrorDomain apiFileDomain(String function) {
        boolean connect = function.startsWith("virConnect");
        if (function.startsWith("virNetwork") || connect && function.contains("Network")) return org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_NETWORK;
        if (function.startsWith("virStorage") || connect && function.contains("StoragePool")) return org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_STORAGE;
        if (function.startsWith("virInterface") || connect && function.contains("Interface")) return org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_INTERFACE;
        if (function.startsWith("virNodeDevice") || function.equals("virNodeNumOfDevices") || function.equals("virNodeListDevices")
                || function.equals("virConnectListAllNodeDevices")) return org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_NODEDEV;
        return org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_NONE;
    }
}
