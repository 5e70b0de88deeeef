package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.DomainStore.requireActive;
import static org.jvirt.driver.jvirt.JvirtErrors.invalid;
import static org.jvirt.driver.jvirt.JvirtErrors.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.jvirt.firmware.FirmwareDescriptors;
import org.jvirt.driver.jvirt.firmware.UefiFirmware;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.driver.jvirt.network.PasstProcess;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.xml.domain.Domain;

/**
 * Defining and undefining domains and moving them through their lifecycle: start (VMM process
 * plus status file), shutdown, reboot, destroy, suspend, resume, and autostart.
 */
final class DomainLifecycle {

    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DESTROY_GRACE = Duration.ofSeconds(5);

    private final DomainStore store;
    private final DomainLocks locks;
    private final JvirtPaths paths;
    private final DefineDefaults defaults;
    private final VmmLauncher launcher;
    private final Path kvmDevice;

    /** Where {@code <disk type='volume'>} sources are found (the URI's storage pools). */
    private final VolumeDisks.Resolver volumes;
    /** The bridges of the URI's networks, for {@code <interface type='network'>}. */
    private final NicDevices.Networks networks;
    /** The networks' addresses, for {@code <graphics><listen type='network'>}. */
    private final VncGraphics.NetworkAddresses displayNetworks;
    /** Where the host's interfaces are listed (generated tap names avoid them). */
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    DomainLifecycle(DomainStore store, VmmLauncher launcher, Path kvmDevice, Supplier<UUID> uuids, VolumeDisks.Resolver volumes,
                    NicDevices.Networks networks, VncGraphics.NetworkAddresses displayNetworks) {
        this.volumes = volumes;
        this.displayNetworks = displayNetworks;
        this.networks = networks;
        this.store = store;
        this.locks = store.locks();
        this.paths = store.paths();
        this.defaults = new DefineDefaults("x86_64", uuids, "vga");
        this.launcher = launcher;
        this.kvmDevice = kvmDevice;
    }

    // ---------------------------------------------------------------- define / create

    DomainDefinition parseDefinition(String xml) throws LibvirtException {
        return parseDefinition(xml, false);
    }

    /** validate: checked against libvirt's schema right after the syntax check, as libvirt does. */
    private DomainDefinition parseDefinition(String xml, boolean validate) throws LibvirtException {
        if (validate) org.jvirt.driver.def.DomainSchema.check(xml);
        Domain model = DomainDefinition.parse(xml);
        SmbiosSettings.adoptUuid(model);
        defaults.apply(model);
        PcDefaults.apply(model);
        UefiFirmware.applyDefaults(model, paths.nvramDir());
        UefiFirmware.validate(model);
        InputDevices.validate(model.getDevices());
        SmbiosSettings.validate(model, model.getUuid());
        VmmCommand.checkVirtType(model.getType());
        DomainDefinition def = DomainDefinition.of(model);
        if (!JvirtPaths.fitsFileName(def.name())) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN,
                    "name " + def.name() + " is too long: " + JvirtPaths.NAME_MAX + " bytes at most with '.xml'");
        }
        return def;
    }

    /** virDomainObjListAdd's checks: one uuid per name and one name per uuid. */
    private StoredDomain checkUnique(DomainDefinition def) throws LibvirtException {
        StoredDomain same = null;
        for (StoredDomain o : store.all()) {
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

    DomainRef defineXML(String xml, int flags) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml, (flags & Flags.Define.VALIDATE) != 0);
        try (DomainLocks.Held n = locks.domain(def.name()); DomainLocks.Held u = locks.uuid(def.uuid())) {
            StoredDomain existing = checkUnique(def);
            PrivateDirs.ensure(paths.configDir());
            AtomicFiles.write(paths.config(def.name()), def.format(-1));
            if (existing != null && existing.active() && !existing.persistent()) {
                AtomicFiles.write(paths.status(def.name()), existing.status().withPersistent(true).format());
            }
            return store.load(def.name()).ref();
        } catch (IOException e) {
            throw io(e);
        }
    }

    DomainRef createXML(String xml, int flags) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml, (flags & Flags.Create.START_VALIDATE) != 0);
        try (DomainLocks.Held n = locks.domain(def.name()); DomainLocks.Held u = locks.uuid(def.uuid())) {
            StoredDomain existing = checkUnique(def);
            if (existing != null && existing.active()) throw invalid("domain '" + def.name() + "' is already active");
            startDomain(def, existing != null && existing.persistent(), (flags & Flags.Create.START_PAUSED) != 0,
                    (flags & Flags.Create.START_RESET_NVRAM) != 0);
            return store.load(def.name()).ref();
        }
    }

    void undefine(DomainRef d, int flags) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = store.obj(d);
            if (!o.persistent()) throw invalid("cannot undefine transient domain");
            Path managedSave = paths.managedSave(o.name());
            if (Files.exists(managedSave)) {
                if ((flags & Flags.Undefine.MANAGED_SAVE) == 0) throw invalid("Refusing to undefine while domain managed save image exists");
                AtomicFiles.delete(managedSave);
            }
            int snapshots = SnapshotMetadata.count(paths, o.name());
            if (snapshots > 0 && !o.active()) {
                if ((flags & Flags.Undefine.SNAPSHOTS_METADATA) == 0) throw invalid("cannot delete inactive domain with " + snapshots + " snapshots");
                SnapshotMetadata.removeAll(paths, o.name());
            }
            Path nvram = UefiFirmware.nvramFile(o.config().model(), paths.nvramDir());
            if (nvram != null && Files.exists(nvram)) {
                if ((flags & Flags.Undefine.NVRAM) != 0 && (flags & Flags.Undefine.KEEP_NVRAM) != 0) {
                    throw invalid("cannot both keep and delete nvram");
                }
                if ((flags & (Flags.Undefine.NVRAM | Flags.Undefine.KEEP_NVRAM)) == 0) throw invalid("cannot undefine domain with nvram");
                if ((flags & Flags.Undefine.NVRAM) != 0 && !o.active()) Files.delete(nvram);
            }
            AtomicFiles.delete(paths.autostartLink(o.name()));
            AtomicFiles.delete(paths.config(o.name()));
            Files.deleteIfExists(paths.shutoffFile(o.name()));
            if (o.active()) AtomicFiles.write(paths.status(o.name()), o.status().withPersistent(false).format());
        } catch (IOException e) {
            throw io(e);
        }
    }

    // ---------------------------------------------------------------- start

    /**
     * virDomainRestore's second half (the image is read and checked by {@link DomainSaveImages}):
     * the image's domain runs again under its name; nothing persistent is defined, and an
     * existing persistent config stays as it is.
     */
    DomainRef restore(String xml, Path image, boolean paused) throws LibvirtException {
        return restore(xml, image, paused, false);
    }

    /** fromSnapshot: a snapshot's revert, whose run state reads "from snapshot" as libvirt's does. */
    DomainRef restore(String xml, Path image, boolean paused, boolean fromSnapshot) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml);
        try (DomainLocks.Held n = locks.domain(def.name()); DomainLocks.Held u = locks.uuid(def.uuid())) {
            StoredDomain existing = checkUnique(def);
            if (existing != null && existing.active()) throw invalid("domain '" + def.name() + "' is already active");
            startDomain(def, existing != null && existing.persistent(), paused, image, fromSnapshot);
            return store.load(def.name()).ref();
        }
    }

    /** Boots the domain in a new VMM; the caller holds the domain's lock. resetNvram: its UEFI variables from the template again. */
    private void startDomain(DomainDefinition def, boolean persistent, boolean paused, boolean resetNvram) throws LibvirtException {
        startDomain(firmwareToRun(def, resetNvram), persistent, paused, null, false, null);
    }

    /** The definition with its UEFI firmware chosen and its variable store there (libvirt's qemuFirmwareFillDomain, qemuPrepareNVRAM). */
    private DomainDefinition firmwareToRun(DomainDefinition def, boolean resetNvram) throws LibvirtException {
        org.jvirt.xml.domain.Os os = def.model().getOs();
        if (os == null || (os.getFirmware() == null && os.getNvram() == null)) return def;
        DomainDefinition run = def.copy();
        UefiFirmware.prepare(run.model(), FIRMWARE_DESCRIPTORS, paths.nvramDir(), resetNvram);
        return DomainDefinition.of(run.model());
    }

    private static final UefiFirmware.DescriptorSource FIRMWARE_DESCRIPTORS = () -> {
        try {
            return FirmwareDescriptors.load(FirmwareDescriptors.searchPath("root".equals(System.getProperty("user.name")), System.getenv()));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, e.getMessage());
        }
    };

    /** restoreFrom: a save image whose state the VMM loads before its vCPUs run (null: boot). */
    private void startDomain(DomainDefinition def, boolean persistent, boolean paused, Path restoreFrom, boolean fromSnapshot)
            throws LibvirtException {
        startDomain(def, persistent, paused, restoreFrom, fromSnapshot, null);
    }

    /**
     * A live migration's destination (Prepare): the domain's VMM started with --incoming ADDRESS,
     * recorded as "paused (migration)" until {@link #incomingDone}; the caller holds the domain's locks.
     */
    void startIncoming(DomainDefinition def, boolean persistent, String address) throws LibvirtException {
        startDomain(def, persistent, true, null, false, address);
    }

    /**
     * Prepare's start: the domain XML from the source (checked and made unique as a restore's)
     * runs in a VMM waiting for the migration at address; transient (Finish defines it when asked).
     */
    DomainRef prepareIncoming(String xml, String address) throws LibvirtException {
        DomainDefinition def = parseDefinition(xml);
        try (DomainLocks.Held n = locks.domain(def.name()); DomainLocks.Held u = locks.uuid(def.uuid())) {
            StoredDomain existing = checkUnique(def);
            if (existing != null && existing.active()) throw invalid("domain '" + def.name() + "' is already active");
            startIncoming(def, existing != null && existing.persistent(), address);
            return store.load(def.name()).ref();
        }
    }

    /**
     * A migration's run state: on the destination once the guest runs there (or stays paused, as
     * on the source), "running (migrated)"; on the source after Perform, "paused (migration)".
     */
    void migrationState(String name, boolean running) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(name)) {
            StoredDomain o = store.load(name);
            if (o == null || !o.active()) throw invalid("domain '" + name + "' is not running");
            AtomicFiles.write(paths.status(name), (running ? o.status().withState("running", RunningReason.MIGRATED.ordinal())
                    : o.status().withState("paused", PausedReason.MIGRATION.ordinal())).format());
        } catch (IOException e) {
            throw io(e);
        }
    }

    /**
     * Finish of a migration whose guest the incoming VMM holds paused (prelaunch): it runs here
     * now, recorded running (migrated). Returns when it was continued (epoch ms).
     */
    long runIncoming(String name) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(name)) {
            StoredDomain o = store.load(name);
            if (o == null || !o.active()) throw invalid("domain '" + name + "' is not running");
            control(o, new Command.Cont());
            long at = System.currentTimeMillis();
            AtomicFiles.write(paths.status(name), o.status().withState("running", RunningReason.MIGRATED.ordinal()).format());
            return at;
        } catch (IOException e) {
            throw io(e);
        }
    }

    private void startDomain(DomainDefinition def, boolean persistent, boolean paused, Path restoreFrom, boolean fromSnapshot,
                             String incoming) throws LibvirtException {
        List<PasstProcess.Handle> passts = new ArrayList<>(); // stopped again unless the start goes through
        boolean done = false;
        try {
            // always spawned paused and continued once connected (libvirt's -S): a guest that powers off at once
            // cannot end its VMM before start() reaches the control socket
            def = withDisplay(def);
            VmmCommand.Built cmd = VmmCommand.build(VolumeDisks.resolve(def, volumes), paths, true, kvmDevice);
            // the taps named and the networks' bridges found once the definition passed the checks; both show in the live XML
            DomainDefinition run = def.copy();
            String passtKey = JvirtPaths.runKey(def.name());
            List<LaunchSpec.Nic> nics = NicDevices.resolve(run.model().getDevices(), cmd.nicAddresses(), networks, SYS_CLASS_NET,
                    (iface, alias) -> {
                        PasstProcess.Handle h = PasstProcess.start(iface, alias, paths.passtDir(), passtKey);
                        passts.add(h);
                        return h.socketPath();
                    });
            def = DomainDefinition.of(run.model());
            LaunchSpec spec = (restoreFrom != null ? cmd.spec().withRestore(restoreFrom) : cmd.spec()).withNics(nics);
            if (incoming != null) spec = spec.withIncoming(incoming);
            PrivateDirs.ensure(paths.runDir());
            int id = store.nextId();
            // recorded before the VMM exists: whoever finds this after a crash adopts or cancels it
            AtomicFiles.write(paths.status(def.name()), DomainStatus.starting(id, paths.monitor(def.name()).toString(),
                    cmd.consoleType(), cmd.consolePath(), persistent, LiveXml.of(def, id, cmd.consolePath(), cmd.consoleType())).format());
            VmmLauncher.Started started;
            try {
                started = launcher.start(def.name(), spec, cmd.env(), paths);
                // still recorded as starting: a client killed before this finds the VMM paused and adopts it so
                List<Command<?>> before = new ArrayList<>(VncGraphics.passwordCommands(def.model().getDevices(), System.currentTimeMillis() / 1000));
                // libvirt's qemuProcessSetupBalloon: the balloon asked for currentMemory (a restored or migrated VM keeps its own)
                if (restoreFrom == null && incoming == null && BalloonDevices.has(def.model().getDevices())) {
                    before.add(new Command.Balloon(def.currentMemoryKiB() * 1024));
                }
                setUpStarted(def.name(), started.pid(), NicDevices.linksDown(def.model().getDevices()), before, !paused);
            } catch (LibvirtException e) {
                store.reconciler().startFailed(def.name());
                throw e;
            }
            String consolePath = "pty".equals(cmd.consoleType()) ? started.ptyPath() : cmd.consolePath();
            DomainStatus st = new DomainStatus(id, paused ? "paused" : "running",
                    paused ? (incoming != null ? PausedReason.MIGRATION : fromSnapshot ? PausedReason.FROM_SNAPSHOT : PausedReason.USER).ordinal()
                            : (fromSnapshot ? RunningReason.FROM_SNAPSHOT : restoreFrom != null ? RunningReason.RESTORED : RunningReason.BOOTED).ordinal(),
                    started.pid(), started.startMillis(), paths.monitor(def.name()).toString(),
                    consolePath == null ? null : cmd.consoleType(), consolePath, persistent,
                    LiveXml.of(def, id, consolePath, cmd.consoleType()));
            AtomicFiles.write(paths.status(def.name()), st.format());
            // the running status's live XML holds the port from here on; a status still 'starting'
            // does not (other clients read that domain as shut off until it is adopted or done)
            Files.deleteIfExists(paths.vncPortClaim(def.name()));
            Files.deleteIfExists(paths.shutoffFile(def.name()));
            done = true; // passt ends with the VMM (--one-off) from here on
        } catch (IOException e) {
            throw io(e);
        } finally {
            if (!done) passts.forEach(PasstProcess.Handle::stop);
            if (!done) {
                try {
                    Files.deleteIfExists(paths.vncPortClaim(def.name()));
                } catch (IOException e) {
                    // it expires (VncPortClaims.HOLD_MILLIS)
                }
            }
        }
    }

    /**
     * The definition to start with its VNC display's listen address and port decided (a copy;
     * the config keeps port -1): under the URI lock, the ports of the URI's other running domains
     * and those other starts chose and their VMMs may not have bound yet ({@link VncPortClaims})
     * are passed over, and the chosen one is claimed in turn.
     */
    private DomainDefinition withDisplay(DomainDefinition def) throws LibvirtException {
        if (VncGraphics.vnc(def.model().getDevices()) == null) return def;
        DomainDefinition live = def.copy();
        try (DomainLocks.Held u = locks.uri()) {
            List<StoredDomain> others = new ArrayList<>();
            for (StoredDomain o : store.all()) if (o.active() && !o.name().equals(def.name())) others.add(o);
            java.util.Set<Integer> used = VncGraphics.usedPorts(others);
            used.addAll(VncPortClaims.held(paths, def.name(), System.currentTimeMillis()));
            VncGraphics.prepare(live, used, paths.vncSocket(def.name()), displayNetworks);
            var g = VncGraphics.vnc(live.model().getDevices());
            int port = g.getPort() == null ? -1 : Integer.parseInt(g.getPort().trim());
            if (port > 0) {
                PrivateDirs.ensure(paths.runDir());
                VncPortClaims.claim(paths, def.name(), port);
            }
        } catch (IOException | NumberFormatException e) {
            throw io(e instanceof IOException io ? io : new IOException("bad VNC port: " + e.getMessage()));
        }
        return DomainDefinition.of(live.model());
    }

    /**
     * Sets the links of a VMM spawned paused that start down (QEMU's set_link before libvirt's
     * cont), then continues it when asked; one that does not take it is killed (the start
     * failed, nothing may stay).
     */
    private void setUpStarted(String name, long pid, List<String> linksDown, List<Command<?>> passwords, boolean cont) throws LibvirtException {
        if (linksDown.isEmpty() && passwords.isEmpty() && !cont) return;
        try (ControlClient c = ControlClient.connect(paths.monitor(name), CONTROL_TIMEOUT)) {
            for (String nic : linksDown) c.call(new Command.SetLink(nic, false));
            for (Command<?> p : passwords) c.call(p);
            if (cont) c.call(new Command.Cont());
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot continue domain '" + name + "' after its start: " + e.getMessage());
        }
    }

    void create(DomainRef d, int flags) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = store.obj(d);
            if (o.active()) throw invalid("domain is already running");
            startDomain(o.config(), true, (flags & Flags.Create.START_PAUSED) != 0, (flags & Flags.Create.START_RESET_NVRAM) != 0);
        }
    }

    // ---------------------------------------------------------------- running domains

    private <R> R control(StoredDomain o, Command<R> command) throws LibvirtException {
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), CONTROL_TIMEOUT)) {
            return c.call(command);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot run '" + command.execute() + "' on domain '" + o.name() + "': " + e.getMessage());
        }
    }

    /** The ACPI power button (also the default); there is no guest agent to ask (as QEMU's driver without one). */
    void shutdown(DomainRef d, int flags) throws LibvirtException {
        guestMethods(flags, "qemuDomainShutdownFlags");
        control(requireActive(store.obj(d)), new Command.SystemPowerdown());
    }

    void reboot(DomainRef d, int flags) throws LibvirtException {
        guestMethods(flags, "qemuDomainReboot");
        control(requireActive(store.obj(d)), new Command.SystemReset());
    }

    private static void guestMethods(int flags, String function) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, Flags.ShutdownMode.ACPI_POWER_BTN | Flags.ShutdownMode.GUEST_AGENT, function);
        if ((flags & Flags.ShutdownMode.GUEST_AGENT) != 0)
            throw new LibvirtException(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
                    org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_QEMU, "QEMU guest agent is not configured");
    }

    void destroy(DomainRef d, int flags) throws LibvirtException {
        stop(d, ShutoffReason.DESTROYED);
    }

    /** Ends the domain's VMM at once and records why (destroy; a snapshot's revert: FROM_SNAPSHOT). */
    void stop(DomainRef d, ShutoffReason reason) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = requireActive(store.obj(d));
            long pid = o.status().pid();
            // the reason first: a reader (domstate from another client) finds the VMM gone before reap() and reads
            // the domain as shut off meanwhile, and must not see "shut off (unknown)" in place of this stop's reason
            AtomicFiles.write(paths.shutoffFile(o.name()), reason.name() + "\n");
            try {
                control(o, new Command.Quit());
            } catch (LibvirtException e) {
                // unresponsive VMM: killed below
            }
            ProcessHandle p = ProcessHandle.of(pid).orElse(null);
            if (p != null && !waitGone(p, DESTROY_GRACE)) {
                p.destroyForcibly();
                waitGone(p, DESTROY_GRACE);
            }
            // whatever still holds the domain's pid file lock is a VMM of this domain too
            if (!VmmPidFile.killHolder(paths.pidFile(o.name()), DESTROY_GRACE)) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                        "Failed to terminate process " + VmmPidFile.holderPid(paths.pidFile(o.name()), Duration.ZERO) + " with SIGKILL: Device or resource busy");
            }
            store.reap(o.name(), reason);
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

    void suspend(DomainRef d) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = requireActive(store.obj(d));
            control(o, new Command.Stop());
            // libvirt's qemuDomainSuspend: during an outgoing migration (virsh migrate --timeout's suspend) the
            // reason is the migration's, so that a migration that then fails resumes the guest (Confirm, cancelled)
            PausedReason reason = DomainJobs.outgoingMigration(o) ? PausedReason.MIGRATION : PausedReason.USER;
            AtomicFiles.write(paths.status(o.name()), o.status().withState("paused", reason.ordinal()).format());
        } catch (IOException e) {
            throw io(e);
        }
    }

    void resume(DomainRef d) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = requireActive(store.obj(d));
            if (!"paused".equals(o.status().state())) throw invalid("domain is not paused");
            control(o, new Command.Cont());
            AtomicFiles.write(paths.status(o.name()), o.status().withState("running", RunningReason.UNPAUSED.ordinal()).format());
        } catch (IOException e) {
            throw io(e);
        }
    }

    // ---------------------------------------------------------------- autostart

    /** Starts the autostart domains once per host boot (the first open after boot does it). */
    /** What starts before the autostart domains after a boot (the autostart storage pools, as libvirt's storage driver starts first). */
    interface BeforeDomains {
        void run() throws LibvirtException;
    }

    void autostartIfBooted(BeforeDomains first) throws LibvirtException {
        List<String> names = new ArrayList<>();
        try (DomainLocks.Held h = locks.uri()) {
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
        first.run();
        for (String n : names) {
            try (DomainLocks.Held h = locks.domain(n)) {
                StoredDomain o = store.load(n);
                if (o != null && o.persistent() && !o.active()) startDomain(o.config(), true, false, false);
            } catch (LibvirtException e) {
                System.err.println("jvirt: autostart of domain '" + n + "' failed: " + e.getMessage());
            }
        }
    }

    /** virsh reset: the VMM's system_reset, no guest shutdown (paused domains too, as QEMU). */
    void reset(DomainRef d, int flags) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            control(requireActive(store.obj(d)), new Command.SystemReset());
        }
    }

    /**
     * qemuDomainRename: an inactive persistent domain gets a new name; its config (checked as a
     * define checks the name) and autostart link move with it; one with a managed save image is
     * refused, as libvirt does. No snapshot can exist here yet.
     */
    void rename(DomainRef d, String newName, int flags) throws LibvirtException {
        // both names are locked, in a fixed order so that two crossing renames cannot deadlock
        String first = d.name().compareTo(newName) <= 0 ? d.name() : newName;
        String second = first.equals(d.name()) ? newName : d.name();
        try (DomainLocks.Held a = locks.domain(first); DomainLocks.Held b = locks.domain(second)) {
            StoredDomain o = store.obj(d);
            if (o.active()) throw invalid("cannot rename active domain");
            if (!o.persistent()) throw invalid("cannot rename a transient domain");
            if (o.name().equals(newName)) throw invalid("Can't rename domain to itself");
            if (Files.exists(paths.managedSave(o.name()))) throw invalid("domain with a managed saved state can't be renamed");
            for (StoredDomain other : store.all()) {
                if (other.name().equals(newName)) throw invalid("domain with name '" + newName + "' already exists");
            }
            DomainDefinition def = o.config().copy();
            def.setName(newName);
            def = parseDefinition(def.format(-1));
            boolean autostart = store.autostart(o);
            AtomicFiles.write(paths.config(newName), def.format(-1));
            if (autostart) {
                Path link = paths.autostartLink(newName);
                Files.createSymbolicLink(link, Path.of("..", newName + ".xml"));
                AtomicFiles.syncDirectory(link.getParent());
                AtomicFiles.delete(paths.autostartLink(o.name()));
            }
            AtomicFiles.delete(paths.config(o.name()));
            Files.deleteIfExists(paths.shutoffFile(o.name()));
        } catch (IOException e) {
            throw io(e);
        }
    }

    void setAutostart(DomainRef d, boolean autostart) throws LibvirtException {
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = store.obj(d);
            if (!o.persistent()) throw invalid("cannot set autostart for transient domain");
            Path link = paths.autostartLink(o.name());
            if (autostart && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                PrivateDirs.ensure(paths.configDir());
                PrivateDirs.ensure(link.getParent());
                Files.createSymbolicLink(link, Path.of("..", o.name() + ".xml"));
                AtomicFiles.syncDirectory(link.getParent());
            } else if (!autostart) {
                AtomicFiles.delete(link);
            }
        } catch (IOException e) {
            throw io(e);
        }
    }
}
