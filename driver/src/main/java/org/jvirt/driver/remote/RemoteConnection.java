package org.jvirt.driver.remote;

import static org.jvirt.driver.remote.WireTypes.args;
import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.ArrayList;
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
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.SnapshotRef;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.XdrWriter;

/**
 * A connection to a libvirt daemon (libvirtd, virtqemud, jvirtd) over its remote protocol:
 * every call is one RPC, with the daemon's errors passed on unchanged. Snapshot, statistics,
 * network, storage, interface and node device calls are in the Remote* classes beside it.
 */
final class RemoteConnection implements DriverConnection {
    private final RpcClient rpc;
    private final RemoteDisplay display;
    private final String uri;
    private final RemoteEvents events;
    private final RemoteSnapshots snapshots;
    private final RemoteNetworks networks;
    private final RemoteStorage storage;
    private final RemoteInterfaces interfaces;
    private final RemoteNodeDevices nodeDevices;
    private final boolean keepalive;
    private final RemoteStatistics statistics;
    private final RemoteMigration migration;

    RemoteConnection(RpcClient rpc, String uri, boolean keepalive, boolean typedParamString) {
        this.rpc = rpc;
        this.uri = uri;
        this.keepalive = keepalive;
        this.statistics = new RemoteStatistics(rpc, this, typedParamString);
        this.events = new RemoteEvents(rpc);
        this.snapshots = new RemoteSnapshots(rpc);
        this.networks = new RemoteNetworks(rpc);
        this.storage = new RemoteStorage(rpc);
        this.display = new RemoteDisplay(rpc);
        this.interfaces = new RemoteInterfaces(rpc);
        this.nodeDevices = new RemoteNodeDevices(rpc);
        this.migration = new RemoteMigration(rpc);
    }

    private <T> T call(int proc, XdrWriter args, ReplyDecoder<T> decoder) throws LibvirtException {
        return rpc.call(proc, args, decoder);
    }

    private void call(int proc, XdrWriter args) throws LibvirtException {
        rpc.call(proc, args, ReplyDecoder.NONE);
    }

    static XdrWriter flags(DomainRef d, int flags) {
        return args(d).writeInt(flags);
    }

    // ---- connection ----
    @Override public String getType() throws LibvirtException { return call(CONNECT_GET_TYPE, null, r -> r.readString("type")); }

    @Override public long getVersion() throws LibvirtException { return call(CONNECT_GET_VERSION, null, r -> r.readHyper()); }

    @Override public String getHostName() throws LibvirtException { return call(CONNECT_GET_HOSTNAME, null, r -> r.readString("hostname")); }

    /** The URI as the caller gave it (libvirt keeps the client's URI). */
    @Override public String getURI() { return uri; }

    @Override public String getCapabilities() throws LibvirtException { return call(CONNECT_GET_CAPABILITIES, null, r -> r.readString("capabilities")); }

    @Override
    public NodeInfo nodeInfo() throws LibvirtException {
        return call(NODE_GET_INFO, null, r -> new NodeInfo(WireTypes.readFixedChars(r, 32), r.readHyper(), r.readInt(), r.readInt(),
                r.readInt(), r.readInt(), r.readInt(), r.readInt()));
    }

    @Override
    public SecurityModel nodeSecurityModel() throws LibvirtException {
        return call(NODE_GET_SECURITY_MODEL, null, r -> new SecurityModel(
                WireTypes.readCountedChars(r, Limits.SECURITY_MODEL_MAX, "security model"),
                WireTypes.readCountedChars(r, Limits.SECURITY_MODEL_MAX, "security doi")));
    }

    @Override
    public boolean[] nodeCpuMap() throws LibvirtException {
        return call(NODE_GET_CPU_MAP, new XdrWriter().writeInt(1).writeInt(0).writeInt(0), r -> {
            byte[] map = r.readOpaque(Limits.CPUMAPS_MAX, "cpu map");
            r.readInt(); // online count, not asked for
            int cpus = r.readInt();
            boolean[] out = new boolean[cpus];
            for (int i = 0; i < cpus && i / 8 < map.length; i++) out[i] = (map[i / 8] & (1 << (i % 8))) != 0;
            return out;
        });
    }

    @Override
    public String getDomainCapabilities(String emulatorBin, String arch, String machine, String virtType, int flags) throws LibvirtException {
        XdrWriter w = new XdrWriter().writeOptionalString(emulatorBin).writeOptionalString(arch).writeOptionalString(machine)
                .writeOptionalString(virtType).writeInt(flags);
        return call(CONNECT_GET_DOMAIN_CAPABILITIES, w, r -> r.readString("capabilities"));
    }

    @Override
    public String getSysinfo(int flags) throws LibvirtException {
        return call(CONNECT_GET_SYSINFO, new XdrWriter().writeInt(flags), r -> r.readString("sysinfo"));
    }

    @Override
    public long[] getCellsFreeMemory(int startCell, int maxCells) throws LibvirtException {
        return call(NODE_GET_CELLS_FREE_MEMORY, new XdrWriter().writeInt(startCell).writeInt(maxCells), r -> {
            int n = r.readCount(Limits.CELLS_MAX, 8, "cells");
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = r.readHyper();
            return out;
        });
    }

    @Override public long getFreeMemory() throws LibvirtException { return call(NODE_GET_FREE_MEMORY, null, r -> r.readHyper()); }

    /** Whether the bytes to the daemon are safe from eavesdropping (virConnectIsSecure). */
    boolean isSecure() throws LibvirtException {
        return rpc.isSecure() || call(CONNECT_IS_SECURE, null, r -> r.readInt()) != 0;
    }

    /** A daemon without the keepalive program is left alone, as libvirt does (it answers 1 there). */
    @Override
    public void setKeepAlive(int interval, int count) {
        if (keepalive) rpc.setKeepalive(interval, count);
    }

    /** Says goodbye when the daemon is still there; a connection that already broke just closes. */
    @Override
    public void close() {
        events.close();
        try {
            if (rpc.isOpen()) call(CONNECT_CLOSE, null);
        } catch (LibvirtException e) {
            // nothing to tell the caller: the connection is gone either way
        } finally {
            rpc.close();
        }
    }

    // ---- domains ----
    @Override
    public List<DomainRef> listAllDomains(int flags) throws LibvirtException {
        return call(CONNECT_LIST_ALL_DOMAINS, new XdrWriter().writeInt(1).writeInt(flags), r -> {
            List<DomainRef> doms = WireTypes.readDomains(r);
            r.readInt(); // the count again
            return doms;
        });
    }

    @Override
    public DomainRef lookupByName(String name) throws LibvirtException {
        return call(DOMAIN_LOOKUP_BY_NAME, new XdrWriter().writeString(name), WireTypes::readDomain);
    }

    @Override
    public DomainRef lookupByUUID(String uuid) throws LibvirtException {
        byte[] u = WireTypes.uuid(uuid);
        return call(DOMAIN_LOOKUP_BY_UUID, new XdrWriter().writeFixedOpaque(u, 0, u.length), WireTypes::readDomain);
    }

    @Override
    public DomainRef lookupByID(int id) throws LibvirtException {
        return call(DOMAIN_LOOKUP_BY_ID, new XdrWriter().writeInt(id), WireTypes::readDomain);
    }

    /** virDomainDefineXML's own procedure (a read-only daemon names it in its refusal). */
    @Override
    public DomainRef defineXML(String xml) throws LibvirtException {
        return call(DOMAIN_DEFINE_XML, new XdrWriter().writeString(xml), WireTypes::readDomain);
    }

    @Override
    public DomainRef defineXML(String xml, int flags) throws LibvirtException {
        return call(DOMAIN_DEFINE_XML_FLAGS, new XdrWriter().writeString(xml).writeInt(flags), WireTypes::readDomain);
    }

    @Override
    public DomainRef createXML(String xml, int flags) throws LibvirtException {
        return call(DOMAIN_CREATE_XML, new XdrWriter().writeString(xml).writeInt(flags), WireTypes::readDomain);
    }

    @Override public void create(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_CREATE_WITH_FLAGS, flags(d, flags), WireTypes::readDomain); }

    @Override public void shutdown(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_SHUTDOWN_FLAGS, flags(d, flags)); }

    @Override public void reboot(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_REBOOT, flags(d, flags)); }

    @Override
    public org.jvirt.driver.spi.Screenshot screenshot(DomainRef d, int screen, int flags) throws LibvirtException {
        return display.screenshot(d, screen, flags);
    }

    @Override
    public void sendKey(DomainRef d, int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException {
        display.sendKey(d, codeset, holdtime, keycodes, flags);
    }

    @Override public void reset(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_RESET, flags(d, flags)); }

    @Override public void destroy(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_DESTROY_FLAGS, flags(d, flags)); }

    @Override public void suspend(DomainRef d) throws LibvirtException { call(DOMAIN_SUSPEND, args(d)); }

    @Override public void resume(DomainRef d) throws LibvirtException { call(DOMAIN_RESUME, args(d)); }

    @Override public void undefine(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_UNDEFINE_FLAGS, flags(d, flags)); }

    @Override
    public DomainInfo getInfo(DomainRef d) throws LibvirtException {
        return call(DOMAIN_GET_INFO, args(d), r -> {
            int state = r.readInt();
            long maxMem = r.readHyper();
            long memory = r.readHyper();
            int vcpus = r.readInt();
            long cpuTime = r.readHyper();
            return new DomainInfo(state(state), maxMem, memory, vcpus, cpuTime);
        });
    }

    private static DomainInfo.DomainState state(int n) {
        DomainInfo.DomainState[] all = DomainInfo.DomainState.values();
        return n >= 0 && n < all.length ? all[n] : all[0];
    }

    @Override
    public DomainStateReason getState(DomainRef d) throws LibvirtException {
        return call(DOMAIN_GET_STATE, flags(d, 0), r -> new DomainStateReason(state(r.readInt()), r.readInt()));
    }

    /** There is no RPC for the id: a lookup by uuid returns the domain with its current one, as libvirt's client does after a start. */
    @Override public int getID(DomainRef d) throws LibvirtException { return lookupByUUID(d.uuid()).id(); }

    @Override public String getXMLDesc(DomainRef d, int flags) throws LibvirtException { return call(DOMAIN_GET_XML_DESC, flags(d, flags), r -> r.readString("xml")); }

    @Override public String getOSType(DomainRef d) throws LibvirtException { return call(DOMAIN_GET_OS_TYPE, args(d), r -> r.readString("os type")); }

    @Override public boolean getAutostart(DomainRef d) throws LibvirtException { return call(DOMAIN_GET_AUTOSTART, args(d), r -> r.readInt()) != 0; }

    @Override public void setAutostart(DomainRef d, boolean autostart) throws LibvirtException { call(DOMAIN_SET_AUTOSTART, flags(d, autostart ? 1 : 0)); }

    @Override public boolean isActive(DomainRef d) throws LibvirtException { return call(DOMAIN_IS_ACTIVE, args(d), r -> r.readInt()) != 0; }

    @Override public boolean isPersistent(DomainRef d) throws LibvirtException { return call(DOMAIN_IS_PERSISTENT, args(d), r -> r.readInt()) != 0; }

    @Override public boolean hasManagedSaveImage(DomainRef d) throws LibvirtException { return call(DOMAIN_HAS_MANAGED_SAVE_IMAGE, flags(d, 0), r -> r.readInt()) != 0; }

    @Override public void managedSave(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_MANAGED_SAVE, flags(d, flags)); }

    @Override public void managedSaveRemove(DomainRef d, int flags) throws LibvirtException { call(DOMAIN_MANAGED_SAVE_REMOVE, flags(d, flags)); }

    @Override
    public String managedSaveGetXMLDesc(DomainRef d, int flags) throws LibvirtException {
        return call(DOMAIN_MANAGED_SAVE_GET_XML_DESC, flags(d, flags), r -> r.readString("xml"));
    }

    @Override
    public void managedSaveDefineXML(DomainRef d, String xml, int flags) throws LibvirtException {
        call(DOMAIN_MANAGED_SAVE_DEFINE_XML, args(d).writeOptionalString(xml).writeInt(flags));
    }

    @Override
    public void rename(DomainRef d, String newName, int flags) throws LibvirtException {
        call(DOMAIN_RENAME, args(d).writeOptionalString(newName).writeInt(flags), r -> r.readInt());
    }

    @Override
    public void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException {
        call(DOMAIN_SET_MEMORY_FLAGS, args(d).writeHyper(kib).writeInt(flags));
    }

    @Override
    public void setMemoryStatsPeriod(DomainRef d, int period, int flags) throws LibvirtException {
        call(DOMAIN_SET_MEMORY_STATS_PERIOD, args(d).writeInt(period).writeInt(flags));
    }

    @Override
    public void setVcpusFlags(DomainRef d, int count, int flags) throws LibvirtException {
        call(DOMAIN_SET_VCPUS_FLAGS, args(d).writeInt(count).writeInt(flags));
    }

    @Override public int getVcpusFlags(DomainRef d, int flags) throws LibvirtException { return call(DOMAIN_GET_VCPUS_FLAGS, flags(d, flags), r -> r.readInt()); }

    @Override
    public List<MemoryStatistic> memoryStats(DomainRef d) throws LibvirtException {
        int max = MemoryStatistic.Tag.values().length;
        return call(DOMAIN_MEMORY_STATS, args(d).writeInt(max).writeInt(0), r -> {
            int n = r.readCount(Limits.MEMORY_STATS_MAX, 12, "memory stats");
            List<MemoryStatistic> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int tag = r.readInt();
                long value = r.readHyper();
                if (tag >= 0 && tag < max) out.add(new MemoryStatistic(MemoryStatistic.Tag.values()[tag], value));
            }
            return out;
        });
    }

    @Override
    public SecurityLabel getSecurityLabel(DomainRef d) throws LibvirtException {
        return call(DOMAIN_GET_SECURITY_LABEL, args(d), r -> new SecurityLabel(
                WireTypes.readCountedChars(r, Limits.SECURITY_LABEL_MAX, "security label"), r.readInt() != 0));
    }

    @Override
    public String getMetadata(DomainRef d, int type, String uri, int flags) throws LibvirtException {
        return call(DOMAIN_GET_METADATA, args(d).writeInt(type).writeOptionalString(uri).writeInt(flags), r -> r.readString("metadata"));
    }

    @Override
    public void updateDeviceFlags(DomainRef d, String xml, int flags) throws LibvirtException {
        call(DOMAIN_UPDATE_DEVICE_FLAGS, args(d).writeString(xml).writeInt(flags));
    }

    @Override
    public void setMetadata(DomainRef d, int type, String value, String key, String uri, int flags) throws LibvirtException {
        call(DOMAIN_SET_METADATA, args(d).writeInt(type).writeOptionalString(value).writeOptionalString(key)
                .writeOptionalString(uri).writeInt(flags));
    }

    // ---- scheduler, jobs, statistics (RemoteStatistics) ----
    @Override public String getSchedulerType(DomainRef d) throws LibvirtException { return statistics.getSchedulerType(d); }

    @Override public List<TypedParameter> getSchedulerParameters(DomainRef d, int flags) throws LibvirtException { return statistics.getSchedulerParameters(d, flags); }

    @Override
    public void setSchedulerParameters(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        statistics.setSchedulerParameters(d, params, flags);
    }

    @Override public List<VcpuInfo> getVcpus(DomainRef d) throws LibvirtException { return statistics.getVcpus(d); }

    @Override public DomainJobInfo getJobStats(DomainRef d, int flags) throws LibvirtException { return statistics.getJobStats(d, flags); }

    @Override public DomainBlockInfo blockInfo(DomainRef d, String path) throws LibvirtException { return statistics.blockInfo(d, path); }

    @Override public DomainBlockStats blockStats(DomainRef d, String path) throws LibvirtException { return statistics.blockStats(d, path); }

    @Override public DomainInterfaceStats interfaceStats(DomainRef d, String device) throws LibvirtException { return statistics.interfaceStats(d, device); }

    @Override
    public List<org.jvirt.driver.api.DomainInterface> interfaceAddresses(DomainRef d, int source, int flags) throws LibvirtException {
        return statistics.interfaceAddresses(d, source, flags);
    }

    @Override public int supportedDomainStats() { return statistics.supportedDomainStats(); }

    @Override public List<TypedParameter> domainStats(DomainRef d, int stats, int flags) throws LibvirtException { return statistics.domainStats(d, stats, flags); }

    @Override public List<NodeStatistic> nodeCpuStats(int cpuNum, int flags) throws LibvirtException { return statistics.nodeCpuStats(cpuNum, flags); }

    @Override public List<NodeStatistic> nodeMemoryStats(int cellNum, int flags) throws LibvirtException { return statistics.nodeMemoryStats(cellNum, flags); }


    // ---- save and restore ----
    @Override public void save(DomainRef d, String path) throws LibvirtException { call(DOMAIN_SAVE, args(d).writeString(path)); }

    @Override
    public void save(DomainRef d, String path, String dxml, int flags) throws LibvirtException {
        call(DOMAIN_SAVE_FLAGS, args(d).writeString(path).writeOptionalString(dxml).writeInt(flags));
    }

    /** The daemon does not say which domain it restored (DOMAIN_RESTORE has no ret): null. */
    @Override
    public DomainRef restore(String path) throws LibvirtException {
        call(DOMAIN_RESTORE, new XdrWriter().writeString(path));
        return null;
    }

    @Override public DomainRef restore(String path, int flags) throws LibvirtException { return restore(path, null, flags); }

    @Override
    public DomainRef restore(String path, String dxml, int flags) throws LibvirtException {
        call(DOMAIN_RESTORE_FLAGS, new XdrWriter().writeString(path).writeOptionalString(dxml).writeInt(flags));
        return null;
    }

    @Override
    public String saveImageGetXMLDesc(String path, int flags) throws LibvirtException {
        return call(DOMAIN_SAVE_IMAGE_GET_XML_DESC, new XdrWriter().writeString(path).writeInt(flags), r -> r.readString("xml"));
    }

    @Override
    public void saveImageDefineXML(String path, String dxml, int flags) throws LibvirtException {
        call(DOMAIN_SAVE_IMAGE_DEFINE_XML, new XdrWriter().writeString(path).writeString(dxml).writeInt(flags));
    }

    // ---- console and events ----
    @Override
    public ConsoleStream openConsole(DomainRef d, String devName, int flags) throws LibvirtException {
        RemoteStream console = new RemoteStream(rpc, DOMAIN_OPEN_CONSOLE);
        console.opened(rpc.callWithStream(DOMAIN_OPEN_CONSOLE, args(d).writeOptionalString(devName).writeInt(flags), console));
        return console;
    }

    @Override public void addDomainEventListener(DomainEventListener l) throws LibvirtException { events.add(l); }

    @Override public void removeDomainEventListener(DomainEventListener l) { events.remove(l); }

    @Override public org.jvirt.driver.spi.NetworkDriver networks() { return networks; }

    @Override public org.jvirt.driver.spi.StorageDriver storage() { return storage; }

    @Override public org.jvirt.driver.spi.InterfaceDriver interfaces() { return interfaces; }

    @Override public org.jvirt.driver.spi.NodeDeviceDriver nodeDevices() { return nodeDevices; }

    @Override public boolean isAlive() { return rpc.isOpen(); }

    /** Runs r once if the connection breaks (not when it is closed). */
    void onLost(Runnable r) { rpc.onLost(r); }

    // ---- migration v3 with parameters (RemoteMigration) ----
    @Override public boolean supportsFeature(int feature) throws LibvirtException { return migration.supportsFeature(feature); }

    @Override
    public org.jvirt.driver.spi.MigrationPhase.Begin migrateBegin3(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        return migration.begin(d, params, flags);
    }

    @Override
    public org.jvirt.driver.spi.MigrationPhase.Prepared migratePrepare3(List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        return migration.prepare(params, cookie, flags);
    }

    @Override
    public org.jvirt.driver.spi.MigrationPhase.PreparedTunnel migratePrepareTunnel3(List<TypedParameter> params, byte[] cookie, int flags)
            throws LibvirtException {
        return migration.prepareTunnel(params, cookie, flags);
    }

    @Override
    public byte[] migratePerform3(DomainRef d, String dconnuri, List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        return migration.perform(d, dconnuri, params, cookie, flags);
    }

    @Override
    public org.jvirt.driver.spi.MigrationPhase.Finished migrateFinish3(List<TypedParameter> params, byte[] cookie, int flags, boolean cancelled)
            throws LibvirtException {
        return migration.finish(params, cookie, flags, cancelled);
    }

    @Override
    public void migrateConfirm3(DomainRef d, List<TypedParameter> params, byte[] cookie, int flags, boolean cancelled) throws LibvirtException {
        migration.confirm(d, params, cookie, flags, cancelled);
    }

    // ---- snapshots ----
    @Override public SnapshotRef snapshotCreateXML(DomainRef d, String xml, int flags) throws LibvirtException { return snapshots.create(d, xml, flags); }

    @Override public List<String> snapshotListNames(DomainRef d, int flags) throws LibvirtException { return snapshots.listNames(d, flags); }

    @Override public SnapshotRef snapshotLookupByName(DomainRef d, String name) throws LibvirtException { return snapshots.lookup(d, name); }

    @Override public boolean hasCurrentSnapshot(DomainRef d) throws LibvirtException { return snapshots.hasCurrent(d); }

    @Override public SnapshotRef snapshotCurrent(DomainRef d) throws LibvirtException { return snapshots.current(d); }

    @Override public String snapshotGetXMLDesc(SnapshotRef s, int flags) throws LibvirtException { return snapshots.xml(s, flags); }

    @Override public String snapshotParentName(SnapshotRef s) throws LibvirtException { return snapshots.parentName(s); }

    @Override public boolean snapshotIsCurrent(SnapshotRef s) throws LibvirtException { return snapshots.isCurrent(s); }

    @Override public List<String> snapshotListChildrenNames(SnapshotRef s, int flags) throws LibvirtException { return snapshots.childrenNames(s, flags); }

    @Override public void snapshotDelete(SnapshotRef s, int flags) throws LibvirtException { snapshots.delete(s, flags); }

    @Override public void revertToSnapshot(SnapshotRef s, int flags) throws LibvirtException { snapshots.revert(s, flags); }

    // ---- migration (RemoteMigration)
    @Override public boolean migrationSupported() { return migration.supported(); }

    @Override public void migrateSetMaxDowntime(DomainRef d, long ms, int flags) throws LibvirtException { migration.setMaxDowntime(d, ms, flags); }

    @Override public long migrateGetMaxDowntime(DomainRef d, int flags) throws LibvirtException { return migration.getMaxDowntime(d, flags); }

    @Override public void migrateSetMaxSpeed(DomainRef d, long mib, int flags) throws LibvirtException { migration.setMaxSpeed(d, mib, flags); }

    @Override public long migrateGetMaxSpeed(DomainRef d, int flags) throws LibvirtException { return migration.getMaxSpeed(d, flags); }

    @Override public void abortJob(DomainRef d, int flags) throws LibvirtException { migration.abortJob(d, flags); }
}
