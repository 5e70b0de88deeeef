package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.DomainStore.requireActive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeInfo;
import org.jvirt.driver.api.VcpuInfo;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.MigrationPhase;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.SnapshotRef;

/**
 * One connection to a jvirt URI. It keeps no domain state in memory: configs, status files
 * and the VMM processes are the truth, so any number of clients in any processes see the same
 * domains, and a client that exits takes nothing down. Mutations hold the URI's file lock.
 * This class answers host and read-only domain queries itself and delegates the rest to
 * {@link DomainStore} (lookup), {@link DomainLifecycle} and {@link DomainTuning}.
 */
final class JvirtConnection implements DriverConnection {

    private final String uri;
    private final DomainStore store;
    private final DomainLifecycle lifecycle;
    private final DomainTuning tuning;
    private final MediaChanges media;
    private final DomainSaveImages saveImages;
    private final DomainSnapshots snapshots;
    private final DomainMigration migration;
    private final DomainDisplay display;
    private final LifecycleEvents events;
    private final org.jvirt.driver.jvirt.storage.DirStorage storage;
    private final org.jvirt.driver.jvirt.network.JvirtNetworks networks;
    /** /dev/kvm, or a stand-in in tests: what decides whether this host offers virt type kvm. */
    private final Path kvmDevice;

    JvirtConnection(String uri, JvirtPaths paths, VmmLauncher launcher, Path kvmDevice, Supplier<UUID> uuids, MigrationListen listen) {
        this.uri = uri;
        this.kvmDevice = kvmDevice;
        this.store = new DomainStore(paths);
        this.storage = new org.jvirt.driver.jvirt.storage.DirStorage(paths, uuids, () -> {
            DomainLocks.Held h = store.locks().uri();
            return h::close;
        });
        this.networks = new org.jvirt.driver.jvirt.network.JvirtNetworks(paths, uuids, () -> {
            DomainLocks.Held h = store.locks().uri();
            return h::close;
        });
        this.lifecycle = new DomainLifecycle(store, launcher, kvmDevice, uuids, storage::diskSourcePath, networks::bridgeForInterface,
                networks::listenAddress);
        this.tuning = new DomainTuning(store);
        this.media = new MediaChanges(store, VmmMedia::change);
        this.saveImages = new DomainSaveImages(store, lifecycle);
        this.snapshots = new DomainSnapshots(store, lifecycle, java.time.Clock.systemUTC());
        this.migration = new DomainMigration(store, lifecycle, paths, listen);
        this.display = new DomainDisplay(store, paths.runDir(), DomainDisplay.SOCKET);
        this.events = new LifecycleEvents(paths, new EventWatcher(new EventWatcher.Source() {
            @Override
            public List<EventWatcher.Observed> observe() throws LibvirtException {
                List<EventWatcher.Observed> out = new ArrayList<>();
                for (StoredDomain o : store.all()) {
                    Path monitor = o.active() && o.status().monitor() != null ? Path.of(o.status().monitor()) : null;
                    // inactive with a status file: an operation holds it (a stop being reaped, a start)
                    boolean settling = !o.active() && java.nio.file.Files.exists(paths.status(o.name()));
                    out.add(new EventWatcher.Observed(o.ref(), store.state(o), o.persistent(), monitor, settling));
                }
                return out;
            }

            @Override
            public List<Path> directories() {
                return List.of(paths.configDir(), paths.runDir());
            }
        }));
    }

    // ---------------------------------------------------------------- connection

    @Override public String getType() { return "jvirt"; }

    @Override public long getVersion() { return 1000; }

    @Override public String getHostName() { return HostInfo.hostname(); }

    @Override public String getURI() { return uri; }

    @Override
    public String getCapabilities() { return HostInfo.capabilities(HostInfo.hostname(), VirtTypes.Host.probe(kvmDevice)); }

    @Override public NodeInfo nodeInfo() { return HostInfo.nodeInfo(); }

    /** No security driver (libvirt's qemu driver without SELinux/AppArmor/DAC labelling shows "none", DOI 0). */
    @Override public org.jvirt.driver.api.SecurityModel nodeSecurityModel() { return new org.jvirt.driver.api.SecurityModel("none", "0"); }

    @Override
    public boolean[] nodeCpuMap() {
        boolean[] m = new boolean[Runtime.getRuntime().availableProcessors()];
        java.util.Arrays.fill(m, true);
        return m;
    }

    @Override
    public void close() {
        events.stop();
        destroyUnfinishedIncoming();
    }

    // ---------------------------------------------------------------- host statistics

    @Override
    public String getDomainCapabilities(String emulatorBin, String arch, String machine, String virtType, int flags)
            throws LibvirtException {
        // the VMM's absolute path, as libvirt names QEMU's binary (its schema wants one)
        String vmm = VmmLauncher.locate(System.getenv()).toAbsolutePath().toString();
        return DomainCapsXml.of(emulatorBin, arch, machine, virtType, vmm, VirtTypes.Host.probe(kvmDevice));
    }

    @Override public String getSysinfo(int flags) throws LibvirtException { return Sysinfo.read(Path.of("/sys/class/dmi/id")); }

    @Override public long[] getCellsFreeMemory(int start, int max) throws LibvirtException { return HostStats.system().cellsFreeMemory(start, max); }

    @Override public long getFreeMemory() throws LibvirtException { return HostStats.system().freeMemory(); }

    @Override
    public List<org.jvirt.driver.api.NodeStatistic> nodeCpuStats(int cpuNum, int flags) throws LibvirtException {
        return HostStats.system().cpuStats(cpuNum);
    }

    @Override
    public List<org.jvirt.driver.api.NodeStatistic> nodeMemoryStats(int cellNum, int flags) throws LibvirtException {
        return HostStats.system().memoryStats(cellNum);
    }

    @Override
    public void addDomainEventListener(org.jvirt.driver.spi.DomainEventListener l) throws LibvirtException {
        events.add(l);
    }

    @Override
    public void removeDomainEventListener(org.jvirt.driver.spi.DomainEventListener l) {
        events.remove(l);
    }

    /**
     * Starts the autostart networks, then the autostart pools, then the autostart domains, once
     * per host boot (the first open after boot does it), as libvirtd's drivers start in that order.
     */
    void autostartIfBooted() throws LibvirtException {
        lifecycle.autostartIfBooted(() -> {
            networks.autostartAfterBoot();
            storage.autostart();
        });
    }

    /** jvirt:///system's first open defines Debian's default network (libvirt-daemon-config-network). */
    void defineDefaultNetworkOnce() throws LibvirtException { networks.defineDefaultOnce(); }

    @Override public org.jvirt.driver.jvirt.network.JvirtNetworks networks() { return networks; }

    /** Removes the temp files of writes a killed client never finished (each read-write open does it). */
    void removeStaleTemps() { store.removeStaleTemps(); }

    @Override public org.jvirt.driver.spi.StorageDriver storage() { return storage; }

    // ---------------------------------------------------------------- lookup

    @Override public List<DomainRef> listAllDomains(int flags) throws LibvirtException { return store.listAll(flags); }

    @Override public DomainRef lookupByName(String name) throws LibvirtException { return store.lookupByName(name); }

    @Override public DomainRef lookupByUUID(String uuid) throws LibvirtException { return store.lookupByUUID(uuid); }

    @Override public DomainRef lookupByID(int id) throws LibvirtException { return store.lookupByID(id); }

    // ---------------------------------------------------------------- define / lifecycle

    @Override public DomainRef defineXML(String xml, int flags) throws LibvirtException { return lifecycle.defineXML(xml, flags); }

    @Override public DomainRef createXML(String xml, int flags) throws LibvirtException { return lifecycle.createXML(xml, flags); }

    @Override
    public void create(DomainRef d, int flags) throws LibvirtException {
        if (!saveImages.startFromManagedSave(d, flags)) lifecycle.create(d, flags);
    }

    @Override public boolean hasManagedSaveImage(DomainRef d) throws LibvirtException { return saveImages.hasManagedSave(d); }

    @Override public void managedSave(DomainRef d, int flags) throws LibvirtException { saveImages.managedSave(d, flags); }

    @Override public void managedSaveRemove(DomainRef d, int flags) throws LibvirtException { saveImages.managedSaveRemove(d); }

    @Override public String managedSaveGetXMLDesc(DomainRef d, int flags) throws LibvirtException { return saveImages.managedSaveXml(d); }

    @Override public void shutdown(DomainRef d, int flags) throws LibvirtException { lifecycle.shutdown(d, flags); }

    @Override public void reboot(DomainRef d, int flags) throws LibvirtException { lifecycle.reboot(d, flags); }

    @Override
    public org.jvirt.driver.spi.Screenshot screenshot(DomainRef d, int screen, int flags) throws LibvirtException {
        return display.screenshot(d, screen, flags);
    }

    @Override
    public void sendKey(DomainRef d, int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException {
        display.sendKey(d, codeset, holdtime, keycodes, flags);
    }

    @Override public void reset(DomainRef d, int flags) throws LibvirtException { lifecycle.reset(d, flags); }

    @Override public void rename(DomainRef d, String newName, int flags) throws LibvirtException { lifecycle.rename(d, newName, flags); }

    @Override public void destroy(DomainRef d, int flags) throws LibvirtException { lifecycle.destroy(d, flags); }

    @Override public void suspend(DomainRef d) throws LibvirtException { lifecycle.suspend(d); }

    @Override public void resume(DomainRef d) throws LibvirtException { lifecycle.resume(d); }

    @Override public void undefine(DomainRef d, int flags) throws LibvirtException { lifecycle.undefine(d, flags); }

    @Override public void save(DomainRef d, String path) throws LibvirtException { saveImages.save(d, path, null, 0); }

    @Override
    public void save(DomainRef d, String path, String dxml, int flags) throws LibvirtException {
        saveImages.save(d, path, dxml, flags);
    }

    @Override public DomainRef restore(String path) throws LibvirtException { return saveImages.restore(path, 0); }

    /** BYPASS_CACHE is accepted and changes nothing (the VMM reads the image once). */
    @Override
    public DomainRef restore(String path, int flags) throws LibvirtException {
        return restore(path, null, flags);
    }

    @Override
    public DomainRef restore(String path, String dxml, int flags) throws LibvirtException {
        if ((flags & ~(Flags.Save.BYPASS_CACHE | Flags.Save.RUNNING | Flags.Save.PAUSED)) != 0) {
            // virCheckFlags words it without the "invalid argument" prefix
            throw new LibvirtException(new org.jvirt.driver.api.Error(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    org.jvirt.driver.api.Error.ErrorLevel.VIR_ERR_ERROR, String.format("unsupported flags (0x%x) in function qemuDomainRestoreFlags",
                            flags & ~(Flags.Save.BYPASS_CACHE | Flags.Save.RUNNING | Flags.Save.PAUSED))));
        }
        return saveImages.restore(path, dxml, flags);
    }

    @Override
    public String saveImageGetXMLDesc(String path, int flags) throws LibvirtException {
        checkFlags(flags, Flags.DomainXml.SECURE, "qemuDomainSaveImageGetXMLDesc");
        return saveImages.imageXml(path);
    }

    @Override
    public void saveImageDefineXML(String path, String dxml, int flags) throws LibvirtException {
        checkFlags(flags, Flags.Save.RUNNING | Flags.Save.PAUSED, "qemuDomainSaveImageDefineXML");
        saveImages.defineImageXml(path, dxml, flags);
    }

    @Override
    public void managedSaveDefineXML(DomainRef d, String dxml, int flags) throws LibvirtException {
        checkFlags(flags, Flags.Save.RUNNING | Flags.Save.PAUSED, "qemuDomainManagedSaveDefineXML");
        saveImages.managedSaveDefineXml(d, dxml, flags);
    }

    /** virCheckFlags: words without the "invalid argument" prefix. */
    private static void checkFlags(int flags, int allowed, String function) throws LibvirtException {
        if ((flags & ~allowed) == 0) return;
        throw new LibvirtException(new org.jvirt.driver.api.Error(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                org.jvirt.driver.api.Error.ErrorLevel.VIR_ERR_ERROR,
                String.format("unsupported flags (0x%x) in function %s", flags & ~allowed, function)));
    }

    @Override public void setAutostart(DomainRef d, boolean autostart) throws LibvirtException { lifecycle.setAutostart(d, autostart); }

    // ---------------------------------------------------------------- queries

    @Override
    public DomainInfo getInfo(DomainRef d) throws LibvirtException {
        StoredDomain o = store.obj(d);
        DomainDefinition def = o.active() ? liveWithBalloon(o) : o.current();
        long cpu = o.active() ? ProcStat.processCpuNanos(o.status().pid()) : 0;
        return new DomainInfo(store.state(o).state(), def.memoryKiB(), def.currentMemoryKiB(), def.vcpus(), cpu);
    }

    @Override public DomainStateReason getState(DomainRef d) throws LibvirtException { return store.state(store.obj(d)); }

    @Override
    public int getID(DomainRef d) throws LibvirtException {
        StoredDomain o = store.obj(d);
        return o.active() ? o.status().id() : -1;
    }

    @Override
    public String getXMLDesc(DomainRef d, int flags) throws LibvirtException {
        StoredDomain o = store.obj(d);
        boolean inactive = (flags & Flags.DomainXml.INACTIVE) != 0;
        boolean secure = (flags & Flags.DomainXml.SECURE) != 0;
        if (o.active() && !(inactive && o.persistent())) {
            String live = o.status().liveXml();
            if (BalloonDevices.has(o.liveDef().model().getDevices())) { // currentMemory follows the guest, as libvirt's BALLOON_CHANGE does
                live = DomainDefinition.formatSecure(liveWithBalloon(o), o.status().id(), true);
            }
            // graphics passwords only with the security info, as libvirt's
            if (!secure && live.contains(" passwd=")) live = DomainDefinition.formatSecure(liveWithBalloon(o), o.status().id(), false);
            return inactive ? live.replaceFirst(" id='\\d+'", "") : live;
        }
        return DomainDefinition.formatSecure(o.config(), -1, secure);
    }

    @Override public String getOSType(DomainRef d) throws LibvirtException { store.obj(d); return "hvm"; }

    @Override public boolean getAutostart(DomainRef d) throws LibvirtException { return store.autostart(store.obj(d)); }

    @Override public boolean isActive(DomainRef d) throws LibvirtException { return store.obj(d).active(); }

    @Override public boolean isPersistent(DomainRef d) throws LibvirtException { return store.obj(d).persistent(); }

    @Override
    public List<VcpuInfo> getVcpus(DomainRef d) throws LibvirtException {
        StoredDomain o = requireActive(store.obj(d));
        boolean[] affinity = nodeCpuMap();
        List<VcpuInfo> out = new ArrayList<>();
        for (long[] t : ProcStat.vcpuThreads(o.status().pid())) {
            out.add(new VcpuInfo((int) t[0], VcpuInfo.VcpuState.VIR_VCPU_RUNNING, t[1], (int) t[2], affinity.clone()));
        }
        return out;
    }

    // ---------------------------------------------------------------- statistics

    @Override
    public org.jvirt.driver.api.DomainBlockInfo blockInfo(DomainRef d, String path) throws LibvirtException {
        return DomainStatsReader.blockInfo(store.obj(d).current(), path);
    }

    /** The VMM's virtio-blk counters (query-blockstats on its control socket). */
    @Override
    public org.jvirt.driver.api.DomainBlockStats blockStats(DomainRef d, String path) throws LibvirtException {
        StoredDomain o = requireActive(store.obj(d));
        return DomainStatsReader.blockStats(o, o.liveDef(), path);
    }

    @Override
    public org.jvirt.driver.api.DomainInterfaceStats interfaceStats(DomainRef d, String device) throws LibvirtException {
        StoredDomain o = requireActive(store.obj(d));
        return DomainStatsReader.interfaceStats(o.liveDef(), device);
    }

    /** The guest's addresses from the networks' leases or the host's ARP table (GuestAddresses). */
    @Override
    public List<org.jvirt.driver.api.DomainInterface> interfaceAddresses(DomainRef d, int source, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, 0, "qemuDomainInterfaceAddresses");
        StoredDomain o = requireActive(store.obj(d));
        return GuestAddresses.of(org.jvirt.driver.def.DeviceLookup.interfaces(o.liveDef()), source, networks, GuestAddresses.PROC_NET_ARP);
    }

    /** The domain's running save or snapshot, from its VMM (DomainJobs). */
    @Override
    public org.jvirt.driver.api.DomainJobInfo getJobStats(DomainRef d, int flags) throws LibvirtException {
        return DomainJobs.stats(store.obj(d), store.paths(), flags);
    }

    @Override
    public List<org.jvirt.driver.api.TypedParameter> domainStats(DomainRef d, int groups, int flags) throws LibvirtException {
        StoredDomain o = store.obj(d);
        long pid = o.active() ? o.status().pid() : 0;
        List<org.jvirt.driver.api.TypedParameter> out = DomainStatsReader.stats(o.active() ? liveWithBalloon(o) : o.current(), store.state(o), pid, groups);
        if ((groups & org.jvirt.driver.api.Flags.DomainStatsTypes.BALLOON) != 0 && o.active()) DomainStatsReader.balloonExtras(o, out);
        return out;
    }

    @Override public int supportedDomainStats() { return DomainStatsReader.SUPPORTED; }

    // ---------------------------------------------------------------- tuning

    @Override public void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException { tuning.setMemoryFlags(d, kib, flags); }
    @Override public void setMemoryStatsPeriod(DomainRef d, int period, int flags) throws LibvirtException { tuning.setMemoryStatsPeriod(d, period, flags); }

    /** virDomainMemoryStats: the balloon's actual and the guest's statistics (with a balloon), the VMM's rss. */
    @Override
    public List<org.jvirt.driver.api.MemoryStatistic> memoryStats(DomainRef d) throws LibvirtException {
        StoredDomain o = requireActive(store.obj(d));
        return LiveBalloon.stats(o, BalloonDevices.has(o.liveDef().model().getDevices()));
    }

    /** The live definition, its currentMemory the balloon's actual when the VMM answers (else as recorded). */
    private static DomainDefinition liveWithBalloon(StoredDomain o) {
        DomainDefinition live = o.liveDef();
        try {
            return LiveBalloon.withActual(o, live);
        } catch (LibvirtException e) {
            return live;
        }
    }

    @Override public void setVcpusFlags(DomainRef d, int n, int flags) throws LibvirtException { tuning.setVcpusFlags(d, n, flags); }

    @Override public int getVcpusFlags(DomainRef d, int flags) throws LibvirtException { return tuning.getVcpusFlags(d, flags); }

    @Override
    public String getMetadata(DomainRef d, int type, String uri, int flags) throws LibvirtException {
        return tuning.getMetadata(d, type, uri, flags);
    }

    @Override
    public void setMetadata(DomainRef d, int type, String value, String key, String uri, int flags) throws LibvirtException {
        tuning.setMetadata(d, type, value, key, uri, flags);
    }

    @Override
    public void updateDeviceFlags(DomainRef d, String xml, int flags) throws LibvirtException {
        media.update(d, xml, flags);
    }

    // ---------------------------------------------------------------- snapshots

    @Override
    public SnapshotRef snapshotCreateXML(DomainRef d, String xml, int flags) throws LibvirtException {
        return snapshots.createXML(d, xml, flags);
    }

    @Override public List<String> snapshotListNames(DomainRef d, int flags) throws LibvirtException { return snapshots.listNames(d, flags); }

    @Override public SnapshotRef snapshotLookupByName(DomainRef d, String name) throws LibvirtException { return snapshots.lookupByName(d, name); }

    @Override public boolean hasCurrentSnapshot(DomainRef d) throws LibvirtException { return snapshots.hasCurrent(d); }

    @Override public SnapshotRef snapshotCurrent(DomainRef d) throws LibvirtException { return snapshots.current(d); }

    @Override public String snapshotGetXMLDesc(SnapshotRef s, int flags) throws LibvirtException { return snapshots.getXMLDesc(s); }

    @Override public String snapshotParentName(SnapshotRef s) throws LibvirtException { return snapshots.parentName(s); }

    @Override public boolean snapshotIsCurrent(SnapshotRef s) throws LibvirtException { return snapshots.isCurrent(s); }

    @Override
    public List<String> snapshotListChildrenNames(SnapshotRef s, int flags) throws LibvirtException {
        return snapshots.listChildrenNames(s, flags);
    }

    @Override public void snapshotDelete(SnapshotRef s, int flags) throws LibvirtException { snapshots.delete(s, flags); }

    @Override public void revertToSnapshot(SnapshotRef s, int flags) throws LibvirtException { snapshots.revert(s, flags); }

    // ---------------------------------------------------------------- console

    @Override
    public ConsoleStream openConsole(DomainRef d, String devName, int flags) throws LibvirtException {
        StoredDomain o = requireActive(store.obj(d));
        DomainStatus s = o.status();
        if (s.consoleType() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot find character device " + (devName == null ? "<null>" : devName));
        }
        try {
            return "pty".equals(s.consoleType()) ? ConsoleStreams.pty(Path.of(s.consolePath()))
                    : ConsoleStreams.unix(Path.of(s.consolePath()));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "cannot open console " + s.consolePath() + ": " + e.getMessage());
        }
    }

    // ---- live migration (DomainMigration)
    @Override public boolean migrationSupported() { return true; }

    /** domjobabort: cancels the VMM's outgoing migration (DomainJobs). */
    @Override public void abortJob(DomainRef d, int flags) throws LibvirtException { DomainJobs.abort(store.obj(d), flags); }

    @Override public void migrateSetMaxDowntime(DomainRef d, long ms, int flags) throws LibvirtException { migration.setMaxDowntime(d, ms, flags); }

    @Override public long migrateGetMaxDowntime(DomainRef d, int flags) throws LibvirtException { return migration.getMaxDowntime(d, flags); }

    @Override public void migrateSetMaxSpeed(DomainRef d, long mib, int flags) throws LibvirtException { migration.setMaxSpeed(d, mib, flags); }

    @Override public long migrateGetMaxSpeed(DomainRef d, int flags) throws LibvirtException { return migration.getMaxSpeed(d, flags); }

    @Override
    public org.jvirt.driver.spi.MigrationPhase.Begin migrateBegin3(DomainRef d, List<org.jvirt.driver.api.TypedParameter> params, int flags)
            throws LibvirtException {
        MigrationErrors.refuseUnhonoured(flags);
        return migration.begin(d, params, flags);
    }

    @Override
    public org.jvirt.driver.spi.MigrationPhase.Prepared migratePrepare3(List<org.jvirt.driver.api.TypedParameter> params, byte[] cookie, int flags)
            throws LibvirtException {
        // DomainMigration.prepare renames for --dname and tries other ports when one is taken before the VMM binds it
        MigrationPhase.Prepared p = migration.prepare(params, cookie, flags);
        if ((flags & DomainMigration.OFFLINE) == 0) preparedIncoming.add(DomainMigration.cookieField(p.cookie(), "name"));
        return p;
    }

    /**
     * Incoming domains this connection prepared and has not finished yet. If the connection
     * closes first (the client or the peer's daemon died), they are destroyed, as libvirt
     * auto-destroys an incoming domain with the connection that prepared it: the guest is held
     * paused there until Finish, so the source, paused or resumed, stays the only copy.
     */
    private final java.util.Set<String> preparedIncoming = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void destroyUnfinishedIncoming() {
        for (String name : preparedIncoming) {
            try {
                StoredDomain o = store.load(name);
                if (o != null && o.active() && "paused".equals(o.status().state())
                        && o.status().reason() == org.jvirt.driver.api.DomainStateReason.PausedReason.MIGRATION.ordinal()) {
                    lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FAILED);
                }
            } catch (LibvirtException e) {
                // gone meanwhile, or its VMM already ended: nothing left to destroy
            }
        }
        preparedIncoming.clear();
    }

    @Override
    public org.jvirt.driver.spi.MigrationPhase.PreparedTunnel migratePrepareTunnel3(List<org.jvirt.driver.api.TypedParameter> params, byte[] cookie,
                                                                                   int flags) throws LibvirtException {
        MigrationPhase.PreparedTunnel p = new TunnelledMigration(migration).prepare(params, cookie, flags);
        preparedIncoming.add(DomainMigration.cookieField(p.cookie(), "name"));
        return p;
    }

    /** Migration v3 with parameters, peer-to-peer (tunnelled too) and offline. */
    @Override
    public boolean supportsFeature(int feature) {
        return switch (feature) {
            case org.jvirt.rpc.Features.MIGRATION_P2P, org.jvirt.rpc.Features.MIGRATION_V3, org.jvirt.rpc.Features.MIGRATION_PARAMS,
                    org.jvirt.rpc.Features.MIGRATION_OFFLINE -> true;
            default -> false;
        };
    }

    @Override
    public byte[] migratePerform3(DomainRef d, String dconnuri, List<org.jvirt.driver.api.TypedParameter> params, byte[] cookie, int flags)
            throws LibvirtException {
        try {
            return migration.perform(d, dconnuri, params, cookie, flags);
        } catch (LibvirtException e) {
            throw MigrationErrors.performFailed(e);
        }
    }

    @Override
    public MigrationPhase.Finished migrateFinish3(List<org.jvirt.driver.api.TypedParameter> params, byte[] cookie, int flags,
                                                                      boolean cancelled) throws LibvirtException {
        MigrationPhase.Finished f;
        // Finish decides this domain's fate now (the name: --dname's, else the source's)
        String dname = DomainMigration.param(params, "destination_name");
        String finishing = dname != null ? dname : DomainMigration.cookieField(cookie, "name");
        if (finishing != null) preparedIncoming.remove(finishing);
        try {
            f = migration.finish(params, cookie, flags, cancelled);
        } catch (LibvirtException e) {
            if (cancelled && e.code() == org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_OPERATION_FAILED) throw MigrationErrors.finishCancelled();
            throw e;
        }
        return f;
    }

    @Override
    public void migrateConfirm3(DomainRef d, List<org.jvirt.driver.api.TypedParameter> params, byte[] cookie, int flags, boolean cancelled)
            throws LibvirtException {
        migration.confirm(d, params, cookie, flags, cancelled);
    }
}
