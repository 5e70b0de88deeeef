package org.jvirt.driver.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.MemoryStatistic;
import org.jvirt.driver.api.NodeInfo;
import org.jvirt.driver.api.SecurityLabel;
import org.jvirt.driver.api.SecurityModel;
import org.jvirt.driver.api.VcpuInfo;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.SnapshotRef;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.domain.devices.InterfaceTarget;

/** One test:///default connection and its in-memory state (libvirt's testDriver). */
final class TestConnection implements DriverConnection {

    private static final byte[] SAVE_MAGIC = "TestGuestMagic\0".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private final DefineDefaults defaults;
    private final List<TestDomainObj> domains = new ArrayList<>();
    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private final NodeInfo nodeInfo = TestDefaults.nodeInfo();
    private int nextDomId = 1;

    TestConnection(Clock clock, Supplier<UUID> uuids, boolean readOnly) {
        this.clock = clock;
        this.defaults = new DefineDefaults("i686", uuids);
        TestDomainObj test = new TestDomainObj(TestDefaults.defaultDomain(), DomainStateReason.shutoff(ShutoffReason.UNKNOWN));
        test.persistent = true;
        startState(test, RunningReason.UNKNOWN);
        domains.add(test);
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

    // ---------------------------------------------------------------- lookup

    private TestDomainObj byName(String name) {
        for (TestDomainObj o : domains) if (o.def.name().equals(name)) return o;
        return null;
    }

    private TestDomainObj byUuid(String uuid) {
        for (TestDomainObj o : domains) if (o.def.uuid().equalsIgnoreCase(uuid)) return o;
        return null;
    }

    /** testDomObjFromDomain: the object behind a handle, by uuid. */
    private TestDomainObj obj(DomainRef d) throws LibvirtException {
        TestDomainObj o = byUuid(d.uuid());
        if (o == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorDomain.VIR_FROM_TEST,
                    "no domain with matching uuid '" + d.uuid() + "' (" + d.name() + ")");
        }
        return o;
    }

    private static LibvirtException noDomain() {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorDomain.VIR_FROM_TEST, null);
    }

    private static void checkActive(TestDomainObj o) throws LibvirtException {
        if (!o.isActive()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN, "domain is not running");
        }
    }

    @Override
    public synchronized List<DomainRef> listAllDomains(int flags) {
        List<DomainRef> out = new ArrayList<>();
        for (TestDomainObj o : domains) if (matches(o, flags)) out.add(o.ref());
        return out;
    }

    private static boolean matches(TestDomainObj o, int f) {
        if (!pair(f, Flags.ListAllDomains.ACTIVE, Flags.ListAllDomains.INACTIVE, o.isActive())) return false;
        if (!pair(f, Flags.ListAllDomains.PERSISTENT, Flags.ListAllDomains.TRANSIENT, o.persistent)) return false;
        if (!pair(f, Flags.ListAllDomains.MANAGEDSAVE, Flags.ListAllDomains.NO_MANAGEDSAVE, o.hasManagedSave)) return false;
        if (!pair(f, Flags.ListAllDomains.AUTOSTART, Flags.ListAllDomains.NO_AUTOSTART, o.autostart)) return false;
        if (!pair(f, Flags.ListAllDomains.HAS_SNAPSHOT, Flags.ListAllDomains.NO_SNAPSHOT, o.snapshots.size() > 0)) return false;
        if (!pair(f, Flags.ListAllDomains.HAS_CHECKPOINT, Flags.ListAllDomains.NO_CHECKPOINT, false)) return false;
        int states = Flags.ListAllDomains.RUNNING | Flags.ListAllDomains.PAUSED | Flags.ListAllDomains.SHUTOFF
                | Flags.ListAllDomains.OTHER;
        if ((f & states) != 0) {
            DomainInfo.DomainState s = o.state.state();
            boolean ok = switch (s) {
                case VIR_DOMAIN_RUNNING -> (f & Flags.ListAllDomains.RUNNING) != 0;
                case VIR_DOMAIN_PAUSED -> (f & Flags.ListAllDomains.PAUSED) != 0;
                case VIR_DOMAIN_SHUTOFF -> (f & Flags.ListAllDomains.SHUTOFF) != 0;
                default -> (f & Flags.ListAllDomains.OTHER) != 0;
            };
            if (!ok) return false;
        }
        return true;
    }

    /** A filter pair: neither or both bits set means no filtering. */
    private static boolean pair(int flags, int yes, int no, boolean value) {
        boolean y = (flags & yes) != 0;
        boolean n = (flags & no) != 0;
        if (y == n) return true;
        return y ? value : !value;
    }

    @Override
    public synchronized DomainRef lookupByName(String name) throws LibvirtException {
        TestDomainObj o = byName(name);
        if (o == null) throw noDomain();
        return o.ref();
    }

    @Override
    public synchronized DomainRef lookupByUUID(String uuid) throws LibvirtException {
        TestDomainObj o = byUuid(uuid);
        if (o == null) throw noDomain();
        return o.ref();
    }

    @Override
    public synchronized DomainRef lookupByID(int id) throws LibvirtException {
        for (TestDomainObj o : domains) if (o.isActive() && o.id == id) return o.ref();
        throw noDomain();
    }

    // ---------------------------------------------------------------- define / create

    private DomainDefinition parseDefinition(String xml) throws LibvirtException {
        Domain model = DomainDefinition.parse(xml);
        defaults.apply(model);
        generateIfnames(model);
        return DomainDefinition.of(model);
    }

    /** testDomainGenerateIfnames: testnetN for interfaces without a target. */
    private static void generateIfnames(Domain model) {
        List<Interface> nets = model.getDevices().getInterfaces();
        List<String> used = new ArrayList<>();
        for (Interface i : nets) if (i.getTarget() != null && i.getTarget().getDev() != null) used.add(i.getTarget().getDev());
        for (Interface i : nets) {
            if (i.getTarget() != null && i.getTarget().getDev() != null) continue;
            int n = 0;
            while (used.contains("testnet" + n)) n++;
            InterfaceTarget t = new InterfaceTarget();
            t.setDev("testnet" + n);
            used.add(t.getDev());
            i.setTarget(t);
        }
    }

    /**
     * virDomainObjListAdd: finds the object a new definition replaces, or adds one; refuses a
     * name or uuid clash the way libvirt does. live: the definition is to run now.
     */
    private TestDomainObj addOrReplace(DomainDefinition def, boolean live, boolean checkLive) throws LibvirtException {
        TestDomainObj existing = byUuid(def.uuid());
        if (existing != null) {
            if (!existing.def.name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN,
                        "domain '" + existing.def.name() + "' is already defined with uuid " + existing.def.uuid());
            }
            if (checkLive) {
                if (existing.isActive()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                            "domain '" + existing.def.name() + "' is already active");
                }
                if (!existing.persistent) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                            "domain '" + existing.def.name() + "' is already being started");
                }
            }
            assignDef(existing, def, live);
            return existing;
        }
        TestDomainObj sameName = byName(def.name());
        if (sameName != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN,
                    "domain '" + def.name() + "' already exists with uuid " + sameName.def.uuid());
        }
        TestDomainObj o = new TestDomainObj(def, DomainStateReason.shutoff(ShutoffReason.UNKNOWN));
        domains.add(o);
        return o;
    }

    /** virDomainObjAssignDef. */
    private static void assignDef(TestDomainObj o, DomainDefinition def, boolean live) {
        if (o.isActive()) {
            if (live) {
                if (o.persistent && o.newDef == null) o.newDef = o.def;
                o.def = def;
            } else {
                o.newDef = def;
            }
        } else {
            o.def = def;
        }
    }

    @Override
    public synchronized DomainRef defineXML(String xml, int flags) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml);
        boolean existed = byUuid(def.uuid()) != null;
        TestDomainObj o = addOrReplace(def, false, false);
        o.persistent = true;
        emit(o, 0, existed ? 1 : 0);
        return o.ref();
    }

    @Override
    public synchronized DomainRef createXML(String xml, int flags) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml);
        TestDomainObj o = addOrReplace(def, true, true);
        startState(o, RunningReason.BOOTED);
        emit(o, 2, 0);
        return o.ref();
    }

    // ---------------------------------------------------------------- lifecycle

    /** testDomainStartState. */
    private void startState(TestDomainObj o, RunningReason reason) {
        o.state = DomainStateReason.running(reason);
        o.id = nextDomId++;
        if (o.persistent && o.newDef == null) o.newDef = o.def.copy();
        o.hasManagedSave = false;
    }

    /** testDomainShutdownState, and removal of a transient domain that stopped. */
    private void shutdownState(TestDomainObj o, ShutoffReason reason) {
        if (o.newDef != null) {
            o.def = o.newDef;
            o.newDef = null;
        }
        o.state = DomainStateReason.shutoff(reason);
        o.id = -1;
        if (!o.persistent) domains.remove(o);
    }

    @Override
    public synchronized void create(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        if (o.isActive()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "Domain '" + d.name() + "' is already running");
        }
        startState(o, RunningReason.BOOTED);
        emit(o, 2, 0);
    }

    @Override
    public synchronized void shutdown(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        if (!o.isActive()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "domain '" + d.name() + "' not running");
        }
        lifecycleAction(o, o.def.model().getOnPoweroff());
    }

    @Override
    public synchronized void reboot(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        checkActive(o);
        lifecycleAction(o, o.def.model().getOnReboot());
    }

    /** testDomainActionSetState: restart actions keep it running (booted), the others stop it. */
    private void lifecycleAction(TestDomainObj o, String action) {
        if ("restart".equals(action) || "rename-restart".equals(action)) {
            o.state = DomainStateReason.running(RunningReason.BOOTED);
        } else {
            emit(o, 5, 0);
            shutdownState(o, ShutoffReason.SHUTDOWN);
        }
    }

    @Override
    public synchronized void destroy(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        checkActive(o);
        emit(o, 5, 1);
        shutdownState(o, ShutoffReason.DESTROYED);
    }

    @Override
    public synchronized void suspend(DomainRef d) throws LibvirtException {
        TestDomainObj o = obj(d);
        DomainInfo.DomainState s = o.state.state();
        if (s == DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF || s == DomainInfo.DomainState.VIR_DOMAIN_PAUSED) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "domain '" + d.name() + "' not running");
        }
        o.state = DomainStateReason.paused(PausedReason.USER);
        emit(o, 3, 0);
    }

    @Override
    public synchronized void resume(DomainRef d) throws LibvirtException {
        TestDomainObj o = obj(d);
        if (o.state.state() != DomainInfo.DomainState.VIR_DOMAIN_PAUSED) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "domain '" + d.name() + "' not paused");
        }
        o.state = DomainStateReason.running(RunningReason.UNPAUSED);
        emit(o, 4, 0);
    }

    @Override
    public synchronized void undefine(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        if (o.hasManagedSave && (flags & Flags.Undefine.MANAGED_SAVE) == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "Refusing to undefine while domain managed save image exists");
        }
        if (!o.isActive() && o.snapshots.size() > 0 && (flags & Flags.Undefine.SNAPSHOTS_METADATA) == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "cannot delete inactive domain with " + o.snapshots.size() + " snapshots");
        }
        emit(o, 1, 0);
        o.hasManagedSave = false;
        if (o.isActive()) {
            o.persistent = false;
            o.newDef = null;
        } else {
            domains.remove(o);
        }
    }

    // ---------------------------------------------------------------- queries

    private long nowMicros() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Override
    public synchronized DomainInfo getInfo(DomainRef d) throws LibvirtException {
        TestDomainObj o = obj(d);
        return new DomainInfo(o.state.state(), o.def.memoryKiB(), o.def.currentMemoryKiB(), o.def.vcpus(),
                nowMicros() * 1000);
    }

    @Override
    public synchronized DomainStateReason getState(DomainRef d) throws LibvirtException {
        return obj(d).state;
    }

    @Override
    public synchronized int getID(DomainRef d) throws LibvirtException {
        TestDomainObj o = obj(d);
        return o.isActive() ? o.id : -1;
    }

    @Override
    public synchronized String getXMLDesc(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        if ((flags & Flags.DomainXml.INACTIVE) != 0) return o.persistentDef().format(-1);
        return o.def.format(o.isActive() ? o.id : -1);
    }

    @Override public synchronized String getOSType(DomainRef d) throws LibvirtException { obj(d); return "linux"; }

    @Override public synchronized boolean getAutostart(DomainRef d) throws LibvirtException { return obj(d).autostart; }

    @Override
    public synchronized void setAutostart(DomainRef d, boolean autostart) throws LibvirtException {
        obj(d).autostart = autostart;
    }

    @Override public synchronized boolean isActive(DomainRef d) throws LibvirtException { return obj(d).isActive(); }

    @Override public synchronized boolean isPersistent(DomainRef d) throws LibvirtException { return obj(d).persistent; }

    @Override public synchronized boolean hasManagedSaveImage(DomainRef d) throws LibvirtException { return obj(d).hasManagedSave; }

    /** virDomainObjGetOneDefState: the one definition flags address. */
    private static DomainDefinition oneDef(TestDomainObj o, int flags) throws LibvirtException {
        boolean live = (flags & Flags.Affect.LIVE) != 0;
        boolean config = (flags & Flags.Affect.CONFIG) != 0;
        if (live && config) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                    "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        if (!live && !config) {
            if (o.isActive()) live = true;
            else config = true;
        }
        if (live) {
            checkActive(o);
            return o.def;
        }
        if (!o.persistent) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                    "transient domains do not have any persistent config");
        }
        return o.persistentDef();
    }

    @Override
    public synchronized void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        DomainDefinition def = oneDef(o, flags & (Flags.Affect.LIVE | Flags.Affect.CONFIG));
        boolean live = def == o.def && o.isActive();
        if ((flags & Flags.Affect.MAXIMUM) != 0) {
            if (live) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                        "cannot resize the maximum memory on an active domain");
            }
            def.setMemoryKiB(kib);
        } else {
            if (kib > def.memoryKiB()) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                        "cannot set memory higher than max memory");
            }
            def.setCurrentMemoryKiB(kib);
        }
    }

    @Override
    public synchronized void setVcpusFlags(DomainRef d, int n, int flags) throws LibvirtException {
        if (n > TestDefaults.MAX_VCPUS) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "requested cpu amount exceeds maximum supported amount (" + n + " > " + TestDefaults.MAX_VCPUS + ")");
        }
        TestDomainObj o = obj(d);
        boolean maximum = (flags & Flags.Affect.MAXIMUM) != 0;
        boolean live = (flags & Flags.Affect.LIVE) != 0;
        boolean config = (flags & Flags.Affect.CONFIG) != 0;
        if (!live && !config) {
            if (o.isActive()) live = true;
            else config = true;
        }
        if (live) checkActive(o);
        if (config && !o.persistent) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                    "transient domains do not have any persistent config");
        }
        DomainDefinition liveDef = live ? o.def : null;
        DomainDefinition persistent = config ? o.persistentDef() : null;
        if (liveDef != null && liveDef.maxVcpus() < n) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "requested cpu amount exceeds maximum (" + n + " > " + liveDef.maxVcpus() + ")");
        }
        if (persistent != null && !maximum && persistent.maxVcpus() < n) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_TEST,
                    "requested cpu amount exceeds maximum (" + n + " > " + persistent.maxVcpus() + ")");
        }
        if (liveDef != null) liveDef.setVcpus(n);
        if (persistent != null) {
            if (maximum) persistent.setMaxVcpus(n);
            else persistent.setVcpus(n);
        }
    }

    @Override
    public synchronized int getVcpusFlags(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        DomainDefinition def = oneDef(o, flags & (Flags.Affect.LIVE | Flags.Affect.CONFIG));
        return (flags & Flags.Affect.MAXIMUM) != 0 ? def.maxVcpus() : def.vcpus();
    }

    @Override
    public synchronized List<VcpuInfo> getVcpus(DomainRef d) throws LibvirtException {
        TestDomainObj o = obj(d);
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
        TestDomainObj o = obj(d);
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
        return obj(d).isActive() ? new SecurityLabel(TestDefaults.SECURITY_LABEL, true) : new SecurityLabel("", false);
    }

    @Override
    public synchronized String getMetadata(DomainRef d, int type, int flags) throws LibvirtException {
        DomainDefinition def = oneDef(obj(d), flags);
        String v = switch (type) {
            case Flags.Metadata.TITLE -> def.title();
            case Flags.Metadata.DESCRIPTION -> def.description();
            default -> throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN,
                    "metadata element metadata is not supported by jvirt's test driver");
        };
        if (v == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA, ErrorDomain.VIR_FROM_DOMAIN,
                    "Requested metadata element is not present");
        }
        return v;
    }

    @Override
    public synchronized void setMetadata(DomainRef d, int type, String value, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        List<DomainDefinition> targets = new ArrayList<>();
        boolean live = (flags & Flags.Affect.LIVE) != 0;
        boolean config = (flags & Flags.Affect.CONFIG) != 0;
        if (!live && !config) targets.add(oneDef(o, 0));
        if (live) {
            checkActive(o);
            targets.add(o.def);
        }
        if (config) targets.add(oneDef(o, Flags.Affect.CONFIG));
        String v = value == null || value.isEmpty() ? null : value;
        for (DomainDefinition def : targets) {
            if (type == Flags.Metadata.TITLE) {
                if (v != null && v.contains("\n")) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                            "Domain title can't contain newlines");
                }
                def.setTitle(v);
            } else if (type == Flags.Metadata.DESCRIPTION) {
                def.setDescription(v);
            } else {
                throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN,
                        "metadata element metadata is not supported by jvirt's test driver");
            }
        }
    }

    // ---------------------------------------------------------------- save / restore

    @Override
    public synchronized void save(DomainRef d, String path) throws LibvirtException {
        TestDomainObj o = obj(d);
        checkActive(o);
        byte[] xml = o.def.format(o.id).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SAVE_MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(xml.length).array());
        out.writeBytes(xml);
        try {
            Files.write(Path.of(path), out.toByteArray());
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "saving domain '" + d.name() + "' to '" + path + "': open failed: " + e.getMessage());
        }
        emit(o, 5, 4);
        shutdownState(o, ShutoffReason.SAVED);
    }

    @Override
    public synchronized DomainRef restore(String path) throws LibvirtException {
        byte[] image;
        try {
            image = Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "cannot read domain image '" + path + "': No such file or directory");
        }
        if (image.length < SAVE_MAGIC.length + 4) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "incomplete save header in '" + path + "'");
        }
        if (!Arrays.equals(Arrays.copyOf(image, SAVE_MAGIC.length), SAVE_MAGIC)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST, "mismatched header magic");
        }
        int len = ByteBuffer.wrap(image, SAVE_MAGIC.length, 4).order(ByteOrder.nativeOrder()).getInt();
        if (len < 1 || len > 8192 || SAVE_MAGIC.length + 4 + len > image.length) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "length of metadata out of range");
        }
        String xml = new String(image, SAVE_MAGIC.length + 4, len, StandardCharsets.UTF_8);
        DomainDefinition def = parseDefinition(xml);
        TestDomainObj o = addOrReplace(def, true, true);
        startState(o, RunningReason.RESTORED);
        emit(o, 2, 2);
        return o.ref();
    }

    // ---------------------------------------------------------------- snapshots

    private TestSnapshot snap(TestDomainObj o, String name) throws LibvirtException {
        TestSnapshot s = o.snapshots.get(name);
        if (s == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "no domain snapshot with matching name '" + name + "'");
        }
        return s;
    }

    @Override
    public synchronized SnapshotRef snapshotCreateXML(DomainRef d, String xml, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        SnapshotRequest req = SnapshotRequest.parse(xml);
        long now = clock.instant().getEpochSecond();
        String name = req.name() != null ? req.name() : Long.toString(now);
        if (o.snapshots.get(name) != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "domain snapshot '" + name + "' already exists");
        }
        String state = switch (o.state.state()) {
            case VIR_DOMAIN_RUNNING -> "running";
            case VIR_DOMAIN_PAUSED -> "paused";
            case VIR_DOMAIN_SHUTOFF -> "shutoff";
            default -> o.state.state().name().substring("VIR_DOMAIN_".length()).toLowerCase();
        };
        List<String[]> disks = new ArrayList<>();
        for (Disk disk : o.def.model().getDevices().getDisks()) {
            boolean internal = !"cdrom".equals(disk.getDevice()) && !"floppy".equals(disk.getDevice())
                    && disk.getReadonlyMarker() == null;
            disks.add(new String[] {disk.getTarget().getDev(), internal ? "internal" : "no"});
        }
        TestSnapshot current = o.snapshots.current();
        TestSnapshot s = new TestSnapshot(name, req.description(), state, now, o.def.copy(), disks,
                current == null ? null : current.name);
        o.snapshots.add(s);
        o.snapshots.setCurrent(name);
        return new SnapshotRef(o.ref(), name);
    }

    @Override
    public synchronized List<String> snapshotListNames(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = obj(d);
        List<String> out = new ArrayList<>();
        for (TestSnapshot s : o.snapshots.all()) {
            if ((flags & Flags.SnapshotList.ROOTS) != 0 && s.parent != null) continue;
            if (snapshotFilter(o, s, flags)) out.add(s.name);
        }
        return out;
    }

    private static boolean snapshotFilter(TestDomainObj o, TestSnapshot s, int flags) {
        boolean leaf = o.snapshots.children(s.name).isEmpty();
        if (!pair(flags, Flags.SnapshotList.LEAVES, Flags.SnapshotList.NO_LEAVES, leaf)) return false;
        if ((flags & Flags.SnapshotList.NO_METADATA) != 0 && (flags & Flags.SnapshotList.METADATA) == 0) return false;
        int states = Flags.SnapshotList.INACTIVE | Flags.SnapshotList.ACTIVE | Flags.SnapshotList.DISK_ONLY;
        if ((flags & states) != 0) {
            boolean ok = s.state.equals("shutoff") ? (flags & Flags.SnapshotList.INACTIVE) != 0
                    : (flags & Flags.SnapshotList.ACTIVE) != 0;
            if (!ok) return false;
        }
        return (flags & Flags.SnapshotList.EXTERNAL) == 0 || (flags & Flags.SnapshotList.INTERNAL) != 0;
    }

    @Override
    public synchronized SnapshotRef snapshotLookupByName(DomainRef d, String name) throws LibvirtException {
        TestDomainObj o = obj(d);
        return new SnapshotRef(o.ref(), snap(o, name).name);
    }

    @Override
    public synchronized boolean hasCurrentSnapshot(DomainRef d) throws LibvirtException {
        return obj(d).snapshots.current() != null;
    }

    @Override
    public synchronized SnapshotRef snapshotCurrent(DomainRef d) throws LibvirtException {
        TestDomainObj o = obj(d);
        TestSnapshot c = o.snapshots.current();
        if (c == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "the domain does not have a current snapshot");
        }
        return new SnapshotRef(o.ref(), c.name);
    }

    @Override
    public synchronized String snapshotGetXMLDesc(SnapshotRef s, int flags) throws LibvirtException {
        TestDomainObj o = obj(s.domain());
        return snap(o, s.name()).format();
    }

    @Override
    public synchronized String snapshotParentName(SnapshotRef s) throws LibvirtException {
        return snap(obj(s.domain()), s.name()).parent;
    }

    @Override
    public synchronized boolean snapshotIsCurrent(SnapshotRef s) throws LibvirtException {
        TestDomainObj o = obj(s.domain());
        TestSnapshot snap = snap(o, s.name());
        return snap == o.snapshots.current();
    }

    @Override
    public synchronized List<String> snapshotListChildrenNames(SnapshotRef s, int flags) throws LibvirtException {
        TestDomainObj o = obj(s.domain());
        TestSnapshot root = snap(o, s.name());
        List<String> out = new ArrayList<>();
        collectChildren(o, root.name, (flags & Flags.SnapshotList.DESCENDANTS) != 0, flags, out);
        return out;
    }

    private static void collectChildren(TestDomainObj o, String parent, boolean deep, int flags, List<String> out) {
        for (TestSnapshot c : o.snapshots.children(parent)) {
            if (snapshotFilter(o, c, flags)) out.add(c.name);
            if (deep) collectChildren(o, c.name, true, flags, out);
        }
    }

    @Override
    public synchronized void snapshotDelete(SnapshotRef s, int flags) throws LibvirtException {
        TestDomainObj o = obj(s.domain());
        TestSnapshot snap = snap(o, s.name());
        boolean children = (flags & Flags.SnapshotDelete.CHILDREN) != 0;
        boolean childrenOnly = (flags & Flags.SnapshotDelete.CHILDREN_ONLY) != 0;
        if (children || childrenOnly) {
            List<String> desc = new ArrayList<>();
            collectChildren(o, snap.name, true, 0, desc);
            boolean hadCurrent = false;
            for (String n : desc) {
                if (o.snapshots.current() != null && o.snapshots.current().name.equals(n)) hadCurrent = true;
                o.snapshots.remove(n);
            }
            if (hadCurrent) o.snapshots.setCurrent(snap.name);
        } else {
            for (TestSnapshot c : o.snapshots.children(snap.name)) c.parent = snap.parent;
        }
        if (!childrenOnly) {
            if (snap == o.snapshots.current()) {
                o.snapshots.setCurrent(snap.parent != null && o.snapshots.get(snap.parent) != null ? snap.parent : null);
            }
            o.snapshots.remove(snap.name);
        }
    }

    @Override
    public synchronized void revertToSnapshot(SnapshotRef s, int flags) throws LibvirtException {
        TestDomainObj o = obj(s.domain());
        TestSnapshot snap = snap(o, s.name());
        o.snapshots.setCurrent(null);
        DomainDefinition config = snap.domain.copy();
        if (snap.state.equals("running") || snap.state.equals("paused")) {
            if (o.isActive()) {
                if (o.state.state() == DomainInfo.DomainState.VIR_DOMAIN_RUNNING) {
                    o.state = DomainStateReason.paused(PausedReason.FROM_SNAPSHOT);
                }
                assignDef(o, config, false);
            } else {
                assignDef(o, config, false);
                startState(o, RunningReason.FROM_SNAPSHOT);
                emit(o, 2, 3);
            }
            if (snap.state.equals("paused")) o.state = DomainStateReason.paused(PausedReason.FROM_SNAPSHOT);
        } else {
            assignDef(o, config, false);
            if (o.isActive()) {
                emit(o, 5, 6);
                shutdownState(o, ShutoffReason.FROM_SNAPSHOT);
            }
        }
        o.snapshots.setCurrent(snap.name);
    }

    // ---------------------------------------------------------------- events

    @Override
    public void addDomainEventListener(DomainEventListener l) {
        listeners.add(l);
    }

    @Override
    public void removeDomainEventListener(DomainEventListener l) {
        listeners.remove(l);
    }

    private void emit(TestDomainObj o, int event, int detail) {
        DomainRef ref = o.ref();
        for (DomainEventListener l : listeners) l.onLifecycle(ref, event, detail);
    }
}
