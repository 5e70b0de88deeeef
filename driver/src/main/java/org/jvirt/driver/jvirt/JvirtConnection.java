package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeInfo;
import org.jvirt.driver.api.VcpuInfo;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.vmm.control.ControlClient;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.CharSource;
import org.jvirt.xml.domain.devices.Console;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Serial;

/**
 * One connection to a jvirt URI. It keeps no domain state in memory: configs, status files
 * and the VMM processes are the truth, so any number of clients in any processes see the same
 * domains, and a client that exits takes nothing down. Mutations hold the URI's file lock.
 */
final class JvirtConnection implements DriverConnection {

    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DESTROY_GRACE = Duration.ofSeconds(5);

    private final String uri;
    private final JvirtPaths paths;
    private final StateLock lock;
    private final DefineDefaults defaults;
    private final VmmLauncher launcher;
    private final Path kvmDevice;

    /** A domain as found on disk: its config (null if transient) and status (null if inactive). */
    private record Obj(String name, DomainDefinition config, DomainStatus status) {
        boolean active() { return status != null; }
        boolean persistent() { return config != null; }
        String uuid() { return config != null ? config.uuid() : liveDef().uuid(); }
        DomainDefinition liveDef() { return DomainDefinition.of(parseStored(status.liveXml())); }
        /** The definition in effect now: the live one while running. */
        DomainDefinition current() { return status != null ? liveDef() : config; }
        DomainRef ref() { return new DomainRef(name, uuid(), status == null ? -1 : status.id()); }
    }

    JvirtConnection(String uri, JvirtPaths paths, VmmLauncher launcher, Path kvmDevice, Supplier<UUID> uuids) {
        this.uri = uri;
        this.paths = paths;
        this.lock = new StateLock(paths.lockFile());
        this.defaults = new DefineDefaults("x86_64", uuids);
        this.launcher = launcher;
        this.kvmDevice = kvmDevice;
    }

    // ---------------------------------------------------------------- connection

    @Override public String getType() { return "jvirt"; }

    @Override public long getVersion() { return 1000; }

    @Override public String getHostName() { return HostInfo.hostname(); }

    @Override public String getURI() { return uri; }

    @Override public String getCapabilities() { return HostInfo.capabilities(HostInfo.hostname()); }

    @Override public NodeInfo nodeInfo() { return HostInfo.nodeInfo(); }

    /** No security driver (libvirt's qemu driver without SELinux/AppArmor/DAC labelling shows "none", DOI 0). */
    @Override public org.jvirt.driver.api.SecurityModel nodeSecurityModel() { return new org.jvirt.driver.api.SecurityModel("none", "0"); }

    @Override
    public boolean[] nodeCpuMap() {
        boolean[] m = new boolean[Runtime.getRuntime().availableProcessors()];
        java.util.Arrays.fill(m, true);
        return m;
    }

    @Override public void close() { events.stop(); }

    private final EventWatcher events = new EventWatcher(this);

    @Override
    public void addDomainEventListener(org.jvirt.driver.spi.DomainEventListener l) throws LibvirtException {
        events.add(l);
    }

    @Override
    public void removeDomainEventListener(org.jvirt.driver.spi.DomainEventListener l) {
        events.remove(l);
    }

    /** Starts the autostart domains once per host boot (the first open after boot does it). */
    void autostartIfBooted() throws LibvirtException {
        List<String> names = new ArrayList<>();
        try (StateLock.Held h = lock()) {
            String boot = HostInfo.bootId();
            String stored = AtomicFiles.readOrNull(paths.bootIdFile());
            if (stored != null && stored.trim().equals(boot)) return;
            AtomicFiles.write(paths.bootIdFile(), boot + "\n");
            if (Files.isDirectory(paths.autostartDir())) {
                try (var s = Files.list(paths.autostartDir())) {
                    s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
                            .forEach(n -> names.add(n.substring(0, n.length() - 4)));
                }
            }
        } catch (IOException e) {
            throw io(e);
        }
        for (String n : names) {
            try {
                Obj o = load(n);
                if (o != null && o.persistent() && !o.active()) startDomain(o.config(), true, false);
            } catch (LibvirtException e) {
                System.err.println("jvirt: autostart of domain '" + n + "' failed: " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- storage

    private StateLock.Held lock() throws LibvirtException {
        try {
            return lock.acquire();
        } catch (IOException e) {
            throw io(e);
        }
    }

    private static LibvirtException io(IOException e) {
        return new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU, e.toString());
    }

    private static Domain parseStored(String xml) {
        try {
            return DomainDefinition.parse(xml);
        } catch (LibvirtException e) {
            throw new IllegalStateException("stored domain XML does not parse: " + e.getMessage(), e);
        }
    }

    private Obj load(String name) throws LibvirtException {
        try {
            String cfg = AtomicFiles.readOrNull(paths.config(name));
            DomainStatus st = liveStatus(name);
            if (cfg == null && st == null) return null;
            return new Obj(name, cfg == null ? null : DomainDefinition.of(parseStored(cfg)), st);
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** The status of a running domain; a status whose VMM is gone is reaped (shut off, with the reason it left). */
    private DomainStatus liveStatus(String name) throws IOException, LibvirtException {
        String text = AtomicFiles.readOrNull(paths.status(name));
        if (text == null) return null;
        DomainStatus st = DomainStatus.parse(text);
        if (st != null && alive(st)) return st;
        try (StateLock.Held h = lock()) {
            text = AtomicFiles.readOrNull(paths.status(name));
            if (text == null) return null;
            st = DomainStatus.parse(text);
            if (st != null && alive(st)) return st;
            reap(name, null);
            return null;
        }
    }

    private static boolean alive(DomainStatus st) {
        return ProcessHandle.of(st.pid()).filter(ProcessHandle::isAlive)
                .map(p -> st.startMillis() == 0 || p.info().startInstant()
                        .map(i -> Math.abs(i.toEpochMilli() - st.startMillis()) < 1000).orElse(true))
                .orElse(false);
    }

    /** Removes a stopped domain's runtime files and records why it stopped (reason: null = read the VMM's exit file). */
    private void reap(String name, ShutoffReason reason) throws IOException {
        if (reason == null) {
            String exit = AtomicFiles.readOrNull(paths.exitFile(name));
            String r = exit == null ? "" : exit.lines().filter(l -> l.startsWith("reason=")).findFirst().orElse("reason=").substring(7);
            reason = switch (r) {
                case "shutdown" -> ShutoffReason.SHUTDOWN;
                case "destroyed" -> ShutoffReason.DESTROYED;
                default -> ShutoffReason.CRASHED;
            };
        }
        AtomicFiles.write(paths.shutoffFile(name), reason.name() + "\n");
        AtomicFiles.delete(paths.status(name));
        Files.deleteIfExists(paths.exitFile(name));
        Files.deleteIfExists(paths.pidFile(name));
        Files.deleteIfExists(paths.monitor(name));
    }

    private List<String> names() throws LibvirtException {
        TreeSet<String> out = new TreeSet<>();
        for (Path dir : List.of(paths.configDir(), paths.runDir())) {
            if (!Files.isDirectory(dir)) continue;
            try (var s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml") && !n.startsWith("."))
                        .forEach(n -> out.add(n.substring(0, n.length() - 4)));
            } catch (IOException e) {
                throw io(e);
            }
        }
        return new ArrayList<>(out);
    }

    private List<Obj> all() throws LibvirtException {
        List<Obj> out = new ArrayList<>();
        for (String n : names()) {
            Obj o = load(n);
            if (o != null) out.add(o);
        }
        return out;
    }

    private static LibvirtException noDomain(String info) {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorDomain.VIR_FROM_QEMU, info);
    }

    /** The object behind a handle, checked by uuid (qemuDomainObjFromDomain). */
    private Obj obj(DomainRef d) throws LibvirtException {
        Obj o = load(d.name());
        if (o == null || !o.uuid().equalsIgnoreCase(d.uuid())) {
            throw noDomain("no domain with matching uuid '" + d.uuid() + "' (" + d.name() + ")");
        }
        return o;
    }

    private static Obj requireActive(Obj o) throws LibvirtException {
        if (!o.active()) throw invalid("domain is not running");
        return o;
    }

    private static LibvirtException invalid(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU, what);
    }

    // ---------------------------------------------------------------- lookup

    @Override
    public List<DomainRef> listAllDomains(int flags) throws LibvirtException {
        List<DomainRef> out = new ArrayList<>();
        for (Obj o : all()) if (matches(o, flags)) out.add(o.ref());
        return out;
    }

    private boolean matches(Obj o, int f) {
        if (!pair(f, Flags.ListAllDomains.ACTIVE, Flags.ListAllDomains.INACTIVE, o.active())) return false;
        if (!pair(f, Flags.ListAllDomains.PERSISTENT, Flags.ListAllDomains.TRANSIENT, o.persistent())) return false;
        if (!pair(f, Flags.ListAllDomains.MANAGEDSAVE, Flags.ListAllDomains.NO_MANAGEDSAVE, false)) return false;
        if (!pair(f, Flags.ListAllDomains.AUTOSTART, Flags.ListAllDomains.NO_AUTOSTART, Files.exists(paths.autostartLink(o.name())))) return false;
        if (!pair(f, Flags.ListAllDomains.HAS_SNAPSHOT, Flags.ListAllDomains.NO_SNAPSHOT, false)) return false;
        if (!pair(f, Flags.ListAllDomains.HAS_CHECKPOINT, Flags.ListAllDomains.NO_CHECKPOINT, false)) return false;
        int states = Flags.ListAllDomains.RUNNING | Flags.ListAllDomains.PAUSED | Flags.ListAllDomains.SHUTOFF | Flags.ListAllDomains.OTHER;
        if ((f & states) != 0) {
            DomainState s = state(o).state();
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

    private static boolean pair(int flags, int yes, int no, boolean value) {
        boolean y = (flags & yes) != 0, n = (flags & no) != 0;
        if (y == n) return true;
        return y ? value : !value;
    }

    @Override
    public DomainRef lookupByName(String name) throws LibvirtException {
        Obj o = name.contains("/") || name.startsWith(".") ? null : load(name);
        if (o == null) throw noDomain("no domain with matching name '" + name + "'");
        return o.ref();
    }

    @Override
    public DomainRef lookupByUUID(String uuid) throws LibvirtException {
        for (Obj o : all()) if (o.uuid().equalsIgnoreCase(uuid)) return o.ref();
        throw noDomain("no domain with matching uuid '" + uuid + "'");
    }

    @Override
    public DomainRef lookupByID(int id) throws LibvirtException {
        for (Obj o : all()) if (o.active() && o.status().id() == id) return o.ref();
        throw noDomain("no domain with matching id " + id);
    }

    // ---------------------------------------------------------------- define / create

    private DomainDefinition parseDefinition(String xml) throws LibvirtException {
        Domain model = DomainDefinition.parse(xml);
        defaults.apply(model);
        PcDefaults.apply(model);
        VmmCommand.checkVirtType(model.getType());
        return DomainDefinition.of(model);
    }

    /** virDomainObjListAdd's checks: one uuid per name and one name per uuid. */
    private Obj checkUnique(DomainDefinition def) throws LibvirtException {
        Obj same = null;
        for (Obj o : all()) {
            boolean sameUuid = o.uuid().equalsIgnoreCase(def.uuid());
            boolean sameName = o.name().equals(def.name());
            if (sameUuid && !sameName) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN,
                        "domain '" + o.name() + "' is already defined with uuid " + o.uuid());
            }
            if (sameName && !sameUuid) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN,
                        "domain '" + def.name() + "' already exists with uuid " + o.uuid());
            }
            if (sameName) same = o;
        }
        return same;
    }

    @Override
    public DomainRef defineXML(String xml, int flags) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml);
        try (StateLock.Held h = lock()) {
            Obj existing = checkUnique(def);
            AtomicFiles.write(paths.config(def.name()), def.format(-1));
            if (existing != null && existing.active() && !existing.persistent()) {
                AtomicFiles.write(paths.status(def.name()), existing.status().withPersistent(true).format());
            }
            return load(def.name()).ref();
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public DomainRef createXML(String xml, int flags) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml);
        try (StateLock.Held h = lock()) {
            Obj existing = checkUnique(def);
            if (existing != null && existing.active()) throw invalid("domain '" + def.name() + "' is already active");
            startDomain(def, existing != null && existing.persistent(), (flags & Flags.Create.START_PAUSED) != 0);
            return load(def.name()).ref();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private void startDomain(DomainDefinition def, boolean persistent, boolean paused) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            VmmCommand.Built cmd = VmmCommand.build(def, paths, paused, kvmDevice);
            Files.createDirectories(paths.runDir());
            int id = nextId();
            VmmLauncher.Started started = launcher.start(def.name(), cmd.args(), paths);
            String consolePath = "pty".equals(cmd.consoleType()) ? started.ptyPath() : cmd.consolePath();
            DomainStatus st = new DomainStatus(id, paused ? "paused" : "running",
                    paused ? PausedReason.USER.ordinal() : RunningReason.BOOTED.ordinal(),
                    started.pid(), started.startMillis(), paths.monitor(def.name()).toString(),
                    consolePath == null ? null : cmd.consoleType(), consolePath, persistent, liveXml(def, id, consolePath, cmd.consoleType()));
            AtomicFiles.write(paths.status(def.name()), st.format());
            Files.deleteIfExists(paths.shutoffFile(def.name()));
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** The live definition: id, and the pty the console got (as libvirt shows source path and tty). */
    private static String liveXml(DomainDefinition def, int id, String consolePath, String consoleType) {
        DomainDefinition live = def.copy();
        Domain m = live.model();
        Devices devs = m.getDevices();
        if ("pty".equals(consoleType) && consolePath != null && devs != null) {
            for (Serial s : devs.getSerials()) {
                if (s.getSources().isEmpty() && "pty".equals(s.getType())) {
                    CharSource src = new CharSource();
                    src.setPath(consolePath);
                    s.addSource(src);
                }
            }
            for (Console c : devs.getConsoles()) {
                if ("pty".equals(c.getType())) {
                    c.setTty(consolePath);
                    if (c.getSources().isEmpty()) {
                        CharSource src = new CharSource();
                        src.setPath(consolePath);
                        c.addSource(src);
                    }
                }
            }
        }
        return live.format(id);
    }

    /** Domain ids grow for the life of the run directory, as libvirt's (which restart at 1 after a host reboot). */
    private int nextId() throws IOException {
        String s = AtomicFiles.readOrNull(paths.nextIdFile());
        int id = s == null ? 1 : Integer.parseInt(s.trim());
        AtomicFiles.write(paths.nextIdFile(), (id + 1) + "\n");
        return id;
    }

    @Override
    public void create(DomainRef d, int flags) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = obj(d);
            if (o.active()) throw invalid("domain is already running");
            startDomain(o.config(), true, (flags & Flags.Create.START_PAUSED) != 0);
        }
    }

    private Object control(Obj o, String command) throws LibvirtException {
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), CONTROL_TIMEOUT)) {
            return c.execute(command);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot run '" + command + "' on domain '" + o.name() + "': " + e.getMessage());
        }
    }

    @Override
    public void shutdown(DomainRef d, int flags) throws LibvirtException {
        control(requireActive(obj(d)), "system_powerdown");
    }

    @Override
    public void reboot(DomainRef d, int flags) throws LibvirtException {
        control(requireActive(obj(d)), "system_reset");
    }

    @Override
    public void destroy(DomainRef d, int flags) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = requireActive(obj(d));
            long pid = o.status().pid();
            try {
                control(o, "quit");
            } catch (LibvirtException e) {
                // unresponsive VMM: killed below
            }
            ProcessHandle p = ProcessHandle.of(pid).orElse(null);
            if (p != null && !waitGone(p, DESTROY_GRACE)) {
                p.destroyForcibly();
                waitGone(p, DESTROY_GRACE);
            }
            reap(o.name(), ShutoffReason.DESTROYED);
        } catch (IOException e) {
            throw io(e);
        }
    }

    private static boolean waitGone(ProcessHandle p, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (p.isAlive() && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !p.isAlive();
    }

    @Override
    public void suspend(DomainRef d) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = requireActive(obj(d));
            control(o, "stop");
            AtomicFiles.write(paths.status(o.name()), o.status().withState("paused", PausedReason.USER.ordinal()).format());
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public void resume(DomainRef d) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = requireActive(obj(d));
            if (!"paused".equals(o.status().state())) throw invalid("domain is not paused");
            control(o, "cont");
            AtomicFiles.write(paths.status(o.name()), o.status().withState("running", RunningReason.UNPAUSED.ordinal()).format());
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public void undefine(DomainRef d, int flags) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = obj(d);
            if (!o.persistent()) throw invalid("cannot undefine transient domain");
            AtomicFiles.delete(paths.autostartLink(o.name()));
            AtomicFiles.delete(paths.config(o.name()));
            Files.deleteIfExists(paths.shutoffFile(o.name()));
            if (o.active()) AtomicFiles.write(paths.status(o.name()), o.status().withPersistent(false).format());
        } catch (IOException e) {
            throw io(e);
        }
    }

    // ---------------------------------------------------------------- queries

    private DomainStateReason state(Obj o) {
        if (o.active()) {
            DomainStatus s = o.status();
            return "paused".equals(s.state())
                    ? new DomainStateReason(DomainState.VIR_DOMAIN_PAUSED, s.reason())
                    : new DomainStateReason(DomainState.VIR_DOMAIN_RUNNING, s.reason());
        }
        try {
            String r = AtomicFiles.readOrNull(paths.shutoffFile(o.name()));
            return DomainStateReason.shutoff(r == null ? ShutoffReason.UNKNOWN : ShutoffReason.valueOf(r.trim()));
        } catch (IOException | IllegalArgumentException e) {
            return DomainStateReason.shutoff(ShutoffReason.UNKNOWN);
        }
    }

    @Override
    public DomainInfo getInfo(DomainRef d) throws LibvirtException {
        Obj o = obj(d);
        DomainDefinition def = o.current();
        long cpu = o.active() ? ProcStat.processCpuNanos(o.status().pid()) : 0;
        return new DomainInfo(state(o).state(), def.memoryKiB(), def.currentMemoryKiB(), def.vcpus(), cpu);
    }

    @Override public DomainStateReason getState(DomainRef d) throws LibvirtException { return state(obj(d)); }

    @Override
    public int getID(DomainRef d) throws LibvirtException {
        Obj o = obj(d);
        return o.active() ? o.status().id() : -1;
    }

    @Override
    public String getXMLDesc(DomainRef d, int flags) throws LibvirtException {
        Obj o = obj(d);
        boolean inactive = (flags & Flags.DomainXml.INACTIVE) != 0;
        if (o.active() && !(inactive && o.persistent())) {
            return inactive ? o.status().liveXml().replaceFirst(" id='\\d+'", "") : o.status().liveXml();
        }
        return o.config().format(-1);
    }

    @Override public String getOSType(DomainRef d) throws LibvirtException { obj(d); return "hvm"; }

    @Override public boolean getAutostart(DomainRef d) throws LibvirtException { return Files.exists(paths.autostartLink(obj(d).name())); }

    @Override
    public void setAutostart(DomainRef d, boolean autostart) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = obj(d);
            if (!o.persistent()) throw invalid("cannot set autostart for transient domain");
            Path link = paths.autostartLink(o.name());
            if (autostart && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of("..", o.name() + ".xml"));
                AtomicFiles.syncDirectory(link.getParent());
            } else if (!autostart) {
                AtomicFiles.delete(link);
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override public boolean isActive(DomainRef d) throws LibvirtException { return obj(d).active(); }

    @Override public boolean isPersistent(DomainRef d) throws LibvirtException { return obj(d).persistent(); }

    /** Whether flags (CURRENT/LIVE/CONFIG) touch the live and the persistent definition, as virDomainObjUpdateModificationImpact. */
    private static boolean[] impact(Obj o, int flags) throws LibvirtException {
        boolean live = (flags & Flags.Affect.LIVE) != 0, config = (flags & Flags.Affect.CONFIG) != 0;
        if (!live && !config) {
            live = o.active();
            config = !o.active();
        }
        if (live && !o.active()) throw invalid("domain is not running");
        if (config && !o.persistent()) throw invalid("transient domains do not have any persistent config");
        return new boolean[] {live, config};
    }

    @Override
    public void setMemoryFlags(DomainRef d, long kib, int flags) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = obj(d);
            boolean[] which = impact(o, flags);
            boolean max = (flags & Flags.Affect.MAXIMUM) != 0;
            if (which[0]) {
                if (max) throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU,
                        "cannot resize the maximum memory on an active domain");
                throw invalid("Unable to change memory of active domain without the balloon device and guest OS balloon driver");
            }
            DomainDefinition c = o.config();
            if (max) {
                c.setMemoryKiB(kib);
            } else {
                if (kib > c.memoryKiB()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                            "cannot set memory higher than max memory");
                }
                c.setCurrentMemoryKiB(kib);
            }
            AtomicFiles.write(paths.config(o.name()), c.format(-1));
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public void setVcpusFlags(DomainRef d, int n, int flags) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = obj(d);
            boolean[] which = impact(o, flags);
            boolean max = (flags & Flags.Affect.MAXIMUM) != 0;
            if (n < 1) throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, "requested vcpus must be at least 1");
            if (which[0]) {
                DomainDefinition live = o.liveDef();
                if (max) throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                        "cannot change maximum vcpu count of a running domain");
                if (n > live.maxVcpus()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                            "requested vcpus is greater than max allowable vcpus for the live domain: " + n + " > " + live.maxVcpus());
                }
                if (n != live.vcpus()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                            "vCPU hotplug is not supported yet");
                }
            }
            if (which[1]) {
                DomainDefinition c = o.config();
                if (max) {
                    c.setMaxVcpus(n);
                } else {
                    if (n > c.maxVcpus()) {
                        throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                                "requested vcpus is greater than max allowable vcpus for the persistent domain: " + n + " > " + c.maxVcpus());
                    }
                    c.setVcpus(n);
                }
                AtomicFiles.write(paths.config(o.name()), c.format(-1));
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public int getVcpusFlags(DomainRef d, int flags) throws LibvirtException {
        Obj o = obj(d);
        boolean[] which = impact(o, flags & (Flags.Affect.LIVE | Flags.Affect.CONFIG));
        DomainDefinition def = which[0] ? o.liveDef() : o.config();
        return (flags & Flags.Affect.MAXIMUM) != 0 ? def.maxVcpus() : def.vcpus();
    }

    @Override
    public List<VcpuInfo> getVcpus(DomainRef d) throws LibvirtException {
        Obj o = requireActive(obj(d));
        boolean[] affinity = nodeCpuMap();
        List<VcpuInfo> out = new ArrayList<>();
        for (long[] t : ProcStat.vcpuThreads(o.status().pid())) {
            out.add(new VcpuInfo((int) t[0], VcpuInfo.VcpuState.VIR_VCPU_RUNNING, t[1], (int) t[2], affinity.clone()));
        }
        return out;
    }

    @Override
    public String getMetadata(DomainRef d, int type, int flags) throws LibvirtException {
        Obj o = obj(d);
        boolean[] which = impact(o, flags);
        DomainDefinition def = which[0] ? o.liveDef() : o.config();
        String v = switch (type) {
            case Flags.Metadata.TITLE -> def.title();
            case Flags.Metadata.DESCRIPTION -> def.description();
            default -> throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN,
                    "metadata elements are not supported yet");
        };
        if (v == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA, ErrorDomain.VIR_FROM_DOMAIN,
                    "Requested metadata element is not present");
        }
        return v;
    }

    @Override
    public void setMetadata(DomainRef d, int type, String value, int flags) throws LibvirtException {
        try (StateLock.Held h = lock()) {
            Obj o = obj(d);
            boolean[] which = impact(o, flags);
            String v = value == null || value.isEmpty() ? null : value;
            if (type != Flags.Metadata.TITLE && type != Flags.Metadata.DESCRIPTION) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN,
                        "metadata elements are not supported yet");
            }
            if (which[0]) {
                DomainDefinition live = o.liveDef();
                if (type == Flags.Metadata.TITLE) live.setTitle(v); else live.setDescription(v);
                DomainStatus s = o.status();
                AtomicFiles.write(paths.status(o.name()), new DomainStatus(s.id(), s.state(), s.reason(), s.pid(), s.startMillis(),
                        s.monitor(), s.consoleType(), s.consolePath(), s.persistent(), live.format(s.id())).format());
            }
            if (which[1]) {
                DomainDefinition c = o.config();
                if (type == Flags.Metadata.TITLE) c.setTitle(v); else c.setDescription(v);
                AtomicFiles.write(paths.config(o.name()), c.format(-1));
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public ConsoleStream openConsole(DomainRef d, String devName, int flags) throws LibvirtException {
        Obj o = requireActive(obj(d));
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
}
