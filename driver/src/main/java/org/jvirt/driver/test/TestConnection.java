package org.jvirt.driver.test;

import static org.jvirt.driver.test.TestDomains.checkActive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.MemoryStatistic;
import org.jvirt.driver.api.NodeInfo;
import org.jvirt.driver.api.SecurityLabel;
import org.jvirt.driver.api.SecurityModel;
import org.jvirt.driver.api.VcpuInfo;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.SnapshotRef;

/**
 * One test:///default connection and its in-memory state (libvirt's testDriver). This class
 * answers host and read-only domain queries and delegates the rest to {@link TestDomains}
 * (state model and lookup), {@link TestLifecycle}, {@link TestTuning}, {@link TestSaveImages}
 * and {@link TestSnapshotOps}; its synchronized methods are the one lock they all rely on.
 */
final class TestConnection implements DriverConnection {

    private final Clock clock;
    private final NodeInfo nodeInfo = TestDefaults.nodeInfo();
    private final TestDomains domains;
    private final TestLifecycle lifecycle;
    private final TestDisplay display;
    private final TestTuning tuning;
    private final TestSaveImages saveImages;
    private final TestSnapshotOps snapshots;
    private final TestStats stats;

    TestConnection(Clock clock, Supplier<UUID> uuids, boolean readOnly) {
        this.clock = clock;
        this.domains = new TestDomains(uuids);
        this.lifecycle = new TestLifecycle(domains);
        this.display = new TestDisplay(domains);
        this.tuning = new TestTuning(domains);
        this.saveImages = new TestSaveImages(domains);
        this.snapshots = new TestSnapshotOps(domains, clock);
        this.stats = new TestStats(domains, clock);
    }

    // ---------------------------------------------------------------- connection

    @Override public synchronized String getType() { return "TEST"; }

    @Override public synchronized long getVersion() { return 2; }

    @Override
    public String getHostName() throws LibvirtException {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE,
                        "cannot find hostname: " + e2.getMessage());
            }
        }
    }

    @Override public String getURI() { return "test:///default"; }

    @Override public String getCapabilities() { return TestDefaults.capabilities(); }

    @Override
    public NodeInfo nodeInfo() {
        NodeInfo n = nodeInfo;
        return new NodeInfo(n.model, n.memory, n.cpus, n.mhz, n.nodes, n.sockets, n.cores, n.threads);
    }

    @Override
    public SecurityModel nodeSecurityModel() {
        return new SecurityModel(TestDefaults.SECURITY_MODEL, "");
    }

    /** testNodeGetCPUMap: 8 CPUs, map 0x15. */
    @Override
    public boolean[] nodeCpuMap() {
        boolean[] map = new boolean[8];
        for (int i = 0; i < 8; i++) map[i] = (0x15 & (1 << i)) != 0;
        return map;
    }

    @Override public void close() { }

    // ---------------------------------------------------------------- host statistics

    @Override public String getSysinfo(int flags) { return TestStats.SYSINFO; }

    @Override public synchronized long[] getCellsFreeMemory(int start, int max) throws LibvirtException { return stats.cellsFreeMemory(start, max); }

    @Override public synchronized long getFreeMemory() { return stats.freeMemory(); }

    @Override public List<org.jvirt.driver.api.NodeStatistic> nodeCpuStats(int cpuNum, int flags) { return stats.cpuStats(); }

    // ---------------------------------------------------------------- lookup

    @Override public synchronized List<DomainRef> listAllDomains(int flags) { return domains.listAll(flags); }

    @Override public synchronized DomainRef lookupByName(String name) throws LibvirtException { return domains.lookupByName(name); }

    @Override public synchronized DomainRef lookupByUUID(String uuid) throws LibvirtException { return domains.lookupByUUID(uuid); }

    @Override public synchronized DomainRef lookupByID(int id) throws LibvirtException { return domains.lookupByID(id); }

    // ---------------------------------------------------------------- define / lifecycle

    @Override public synchronized DomainRef defineXML(String xml, int flags) throws LibvirtException { return lifecycle.defineXML(xml, flags); }

    @Override public synchronized DomainRef createXML(String xml, int flags) throws LibvirtException { return lifecycle.createXML(xml, flags); }

    @Override public synchronized void create(DomainRef d, int flags) throws LibvirtException { lifecycle.create(d, flags); }

    @Override public synchronized void shutdown(DomainRef d, int flags) throws LibvirtException { lifecycle.shutdown(d, flags); }

    @Override public synchronized void reboot(DomainRef d, int flags) throws LibvirtException { lifecycle.reboot(d, flags); }

    @Override public synchronized void destroy(DomainRef d, int flags) throws LibvirtException { lifecycle.destroy(d, flags); }

    @Override public synchronized void suspend(DomainRef d) throws LibvirtException { lifecycle.suspend(d); }

    @Override public synchronized void resume(DomainRef d) throws LibvirtException { lifecycle.resume(d); }

    @Override public synchronized void undefine(DomainRef d, int flags) throws LibvirtException { lifecycle.undefine(d, flags); }

    @Override public synchronized void rename(DomainRef d, String newName, int flags) throws LibvirtException { lifecycle.rename(d, newName, flags); }

    @Override
    public synchronized org.jvirt.driver.spi.Screenshot screenshot(DomainRef d, int screen, int flags) throws LibvirtException {
        return display.screenshot(d, screen, flags);
    }

    @Override
    public synchronized void sendKey(DomainRef d, int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException {
        display.sendKey(d, codeset, holdtime, keycodes, flags);
    }

    @Override public synchronized void reset(DomainRef d, int flags) throws LibvirtException { lifecycle.reset(d, flags); }

    // ---------------------------------------------------------------- queries

    private long nowMicros() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Override
    public synchronized DomainInfo getInfo(DomainRef d) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        return new DomainInfo(o.state.state(), o.def.memoryKiB(), o.def.currentMemoryKiB(), o.def.vcpus(),
                nowMicros() * 1000);
    }

    @Override
    public synchronized DomainStateReason getState(DomainRef d) throws LibvirtException {
        return domains.obj(d).state;
    }

    @Override
    public synchronized int getID(DomainRef d) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        return o.isActive() ? o.id : -1;
    }

    @Override
    public synchronized String getXMLDesc(DomainRef d, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, Flags.DomainXml.SECURE | Flags.DomainXml.INACTIVE
                | Flags.DomainXml.MIGRATABLE, "testDomainGetXMLDesc");
        TestDomainObj o = domains.obj(d);
        return org.jvirt.driver.def.DomainDefinition.formatSecure((flags & Flags.DomainXml.INACTIVE) != 0 ? o.persistentDef() : o.def,
                (flags & Flags.DomainXml.INACTIVE) != 0 || !o.isActive() ? -1 : o.id, (flags & Flags.DomainXml.SECURE) != 0);
    }

    @Override public synchronized String getOSType(DomainRef d) throws LibvirtException { domains.obj(d); return "linux"; }

    @Override public synchronized boolean getAutostart(DomainRef d) throws LibvirtException { return domains.obj(d).autostart; }

    @Override
    public synchronized void setAutostart(DomainRef d, boolean autostart) throws LibvirtException {
        domains.obj(d).autostart = autostart;
    }

    @Override public synchronized boolean isActive(DomainRef d) throws LibvirtException { return domains.obj(d).isActive(); }

    @Override public synchronized boolean isPersistent(DomainRef d) throws LibvirtException { return domains.obj(d).persistent; }

    @Override public synchronized boolean hasManagedSaveImage(DomainRef d) throws LibvirtException { return domains.obj(d).hasManagedSave; }

    @Override
    public synchronized List<VcpuInfo> getVcpus(DomainRef d) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        if (!o.isActive()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "cannot list vcpus for an inactive domain");
        }
        int hostCpus = nodeInfo.maxCpus();
        boolean[] all = new boolean[hostCpus];
        Arrays.fill(all, true);
        long cpuTime = nowMicros() / 10;
        List<VcpuInfo> out = new ArrayList<>();
        for (int i = 0; i < o.def.vcpus(); i++) {
            out.add(new VcpuInfo(i, VcpuInfo.VcpuState.VIR_VCPU_RUNNING, cpuTime, hostCpus - 1, all.clone()));
        }
        return out;
    }

    @Override
    public synchronized List<MemoryStatistic> memoryStats(DomainRef d) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        checkActive(o);
        long cur = o.def.currentMemoryKiB();
        List<MemoryStatistic> s = new ArrayList<>();
        if (o.def.model().getDevices().getMemballoon() == null) return s;
        s.add(new MemoryStatistic(MemoryStatistic.Tag.ACTUAL_BALLOON, cur));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.SWAP_IN, 0));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.SWAP_OUT, 0));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.MAJOR_FAULT, 0));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.MINOR_FAULT, 0));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.UNUSED, cur / 2));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.AVAILABLE, cur));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.USABLE, cur / 2));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.LAST_UPDATE, 627319920));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.DISK_CACHES, cur / 8));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.HUGETLB_PGALLOC, 0));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.HUGETLB_PGFAIL, 0));
        s.add(new MemoryStatistic(MemoryStatistic.Tag.RSS, cur / 2));
        return s;
    }

    @Override
    public synchronized SecurityLabel getSecurityLabel(DomainRef d) throws LibvirtException {
        return domains.obj(d).isActive() ? new SecurityLabel(TestDefaults.SECURITY_LABEL, true) : new SecurityLabel("", false);
    }

    // ---------------------------------------------------------------- tuning

    @Override public synchronized void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException { tuning.setMemoryFlags(d, kib, flags); }

    @Override public synchronized void setVcpusFlags(DomainRef d, int n, int flags) throws LibvirtException { tuning.setVcpusFlags(d, n, flags); }

    @Override public synchronized int getVcpusFlags(DomainRef d, int flags) throws LibvirtException { return tuning.getVcpusFlags(d, flags); }

    @Override
    public synchronized String getMetadata(DomainRef d, int type, String uri, int flags) throws LibvirtException {
        return tuning.getMetadata(d, type, uri, flags);
    }

    @Override
    public synchronized void setMetadata(DomainRef d, int type, String value, String key, String uri, int flags)
            throws LibvirtException {
        tuning.setMetadata(d, type, value, key, uri, flags);
    }

    // ---------------------------------------------------------------- scheduler and statistics

    @Override public synchronized String getSchedulerType(DomainRef d) throws LibvirtException { return stats.schedulerType(d); }

    @Override
    public synchronized List<org.jvirt.driver.api.TypedParameter> getSchedulerParameters(DomainRef d, int flags) throws LibvirtException {
        return stats.schedulerParameters(d, flags);
    }

    @Override
    public synchronized void setSchedulerParameters(DomainRef d, List<org.jvirt.driver.api.TypedParameter> params, int flags)
            throws LibvirtException {
        stats.setSchedulerParameters(d, params, flags);
    }

    @Override
    public synchronized org.jvirt.driver.api.DomainBlockInfo blockInfo(DomainRef d, String path) throws LibvirtException {
        return stats.blockInfo(d, path);
    }

    @Override
    public synchronized org.jvirt.driver.api.DomainBlockStats blockStats(DomainRef d, String path) throws LibvirtException {
        return stats.blockStats(d, path);
    }

    @Override
    public synchronized org.jvirt.driver.api.DomainInterfaceStats interfaceStats(DomainRef d, String device) throws LibvirtException {
        return stats.interfaceStats(d, device);
    }

    @Override
    public synchronized List<org.jvirt.driver.api.DomainInterface> interfaceAddresses(DomainRef d, int source, int flags) throws LibvirtException {
        return TestInterfaceAddresses.of(domains.obj(d), networks(), source, flags);
    }

    @Override
    public synchronized List<org.jvirt.driver.api.TypedParameter> domainStats(DomainRef d, int groups, int flags) throws LibvirtException {
        return stats.domainStats(d, groups);
    }

    @Override public int supportedDomainStats() { return TestStats.SUPPORTED_STATS; }

    // ---------------------------------------------------------------- save / restore

    @Override public synchronized void save(DomainRef d, String path) throws LibvirtException { saveImages.save(d, path); }

    /** testDomainSaveFlags: no flags, and no XML ("xml modification unsupported"). */
    @Override
    public synchronized void save(DomainRef d, String path, String dxml, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainSaveFlags");
        if (dxml != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_TEST, "xml modification unsupported");
        }
        saveImages.save(d, path);
    }

    @Override public synchronized DomainRef restore(String path) throws LibvirtException { return saveImages.restore(path); }

    /** testDomainRestoreFlags takes no flags. */
    @Override
    public synchronized DomainRef restore(String path, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainRestoreFlags");
        return saveImages.restore(path);
    }

    @Override
    public synchronized DomainRef restore(String path, String dxml, int flags) throws LibvirtException {
        return saveImages.restore(path, dxml, flags);
    }

    @Override public synchronized String saveImageGetXMLDesc(String path, int flags) throws LibvirtException { return saveImages.imageXml(path, flags); }

    @Override
    public synchronized void saveImageDefineXML(String path, String dxml, int flags) throws LibvirtException {
        saveImages.defineImageXml(path, dxml, flags);
    }

    @Override public synchronized void managedSave(DomainRef d, int flags) throws LibvirtException { saveImages.managedSave(d, flags); }

    @Override public synchronized void managedSaveRemove(DomainRef d, int flags) throws LibvirtException { saveImages.managedSaveRemove(d, flags); }

    // ---------------------------------------------------------------- snapshots

    @Override
    public synchronized SnapshotRef snapshotCreateXML(DomainRef d, String xml, int flags) throws LibvirtException {
        return snapshots.createXML(d, xml, flags);
    }

    @Override
    public synchronized List<String> snapshotListNames(DomainRef d, int flags) throws LibvirtException {
        return snapshots.listNames(d, flags);
    }

    @Override
    public synchronized SnapshotRef snapshotLookupByName(DomainRef d, String name) throws LibvirtException {
        return snapshots.lookupByName(d, name);
    }

    @Override public synchronized boolean hasCurrentSnapshot(DomainRef d) throws LibvirtException { return snapshots.hasCurrent(d); }

    @Override public synchronized SnapshotRef snapshotCurrent(DomainRef d) throws LibvirtException { return snapshots.current(d); }

    @Override
    public synchronized String snapshotGetXMLDesc(SnapshotRef s, int flags) throws LibvirtException {
        return snapshots.getXMLDesc(s, flags);
    }

    @Override public synchronized String snapshotParentName(SnapshotRef s) throws LibvirtException { return snapshots.parentName(s); }

    @Override public synchronized boolean snapshotIsCurrent(SnapshotRef s) throws LibvirtException { return snapshots.isCurrent(s); }

    @Override
    public synchronized List<String> snapshotListChildrenNames(SnapshotRef s, int flags) throws LibvirtException {
        return snapshots.listChildrenNames(s, flags);
    }

    @Override public synchronized void snapshotDelete(SnapshotRef s, int flags) throws LibvirtException { snapshots.delete(s, flags); }

    @Override public synchronized void revertToSnapshot(SnapshotRef s, int flags) throws LibvirtException { snapshots.revert(s, flags); }

    // ---------------------------------------------------------------- events

    @Override
    public void addDomainEventListener(DomainEventListener l) {
        domains.addListener(l);
    }

    @Override
    public void removeDomainEventListener(DomainEventListener l) {
        domains.removeListener(l);
    }

    // ---------------------------------------------------------------- networks, storage, host interfaces, devices

    // made on first use: their default objects are parsed XML, which `list` must not pay for
    private org.jvirt.driver.test.network.TestNetworks networks;
    private org.jvirt.driver.test.storage.TestStorage storage;
    private org.jvirt.driver.test.iface.TestInterfaces interfaces;
    private org.jvirt.driver.test.nodedev.TestNodeDevices nodeDevices;

    @Override public synchronized org.jvirt.driver.spi.NetworkDriver networks() {
        if (networks == null) networks = new org.jvirt.driver.test.network.TestNetworks(UUID::randomUUID);
        return networks;
    }

    @Override public synchronized org.jvirt.driver.spi.StorageDriver storage() {
        if (storage == null) storage = new org.jvirt.driver.test.storage.TestStorage(UUID::randomUUID);
        return storage;
    }

    @Override public synchronized org.jvirt.driver.spi.InterfaceDriver interfaces() {
        if (interfaces == null) interfaces = new org.jvirt.driver.test.iface.TestInterfaces();
        return interfaces;
    }

    @Override public synchronized org.jvirt.driver.spi.NodeDeviceDriver nodeDevices() {
        if (nodeDevices == null) nodeDevices = new org.jvirt.driver.test.nodedev.TestNodeDevices();
        return nodeDevices;
    }
}
