package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.SnapshotRef;
import org.jvirt.driver.test.SnapshotRequest;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;

/**
 * Snapshots on jvirt URIs, libvirt's qemu driver semantics for internal snapshots of shut-off
 * domains: each writable qcow2 disk gets an internal snapshot named as the libvirt snapshot
 * ({@link DiskSnapshots}), the metadata lives under the config dir ({@link SnapshotMetadata}).
 * A running domain's snapshot is taken by its VMM (jvirt-snapshot: paused, disks' internal
 * snapshots, machine state to NAME.save in the snapshot directory, resumed); reverting to it
 * starts a new VMM from that state file.
 */
final class DomainSnapshots {

    /** virDomainSnapshotRevertFlags (FORCE is accepted: nothing here needs forcing). */
    private static final int REVERT_RUNNING = 1, REVERT_PAUSED = 2, REVERT_FORCE = 4;

    /** A snapshot writes all of guest RAM (sparse): minutes, not the control socket's seconds. */
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(10);

    private final DomainStore store;
    private final DomainLocks locks;
    private final JvirtPaths paths;
    private final DomainLifecycle lifecycle;
    private final Clock clock;

    DomainSnapshots(DomainStore store, DomainLifecycle lifecycle, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.locks = store.locks();
        this.paths = store.paths();
        this.clock = clock;
    }

    private SnapshotMetadata meta(StoredDomain o) throws LibvirtException {
        return SnapshotMetadata.load(paths, o.name());
    }

    /**
     * qemuSnapshotCreateXML: disks first, then the metadata (none with NO_METADATA). A shut-off
     * domain takes internal qcow2 snapshots or, disk-only, external overlays ({@link ExternalSnapshots});
     * a running one a full-system snapshot through its VMM (external and disk-only ones are refused there).
     */
    SnapshotRef createXML(DomainRef d, String xml, int flags) throws LibvirtException {
        checkFlags(flags, Flags.SnapshotCreate.REDEFINE | Flags.SnapshotCreate.CURRENT | Flags.SnapshotCreate.HALT
                | Flags.SnapshotCreate.DISK_ONLY | Flags.SnapshotCreate.REUSE_EXT | Flags.SnapshotCreate.NO_METADATA
                | Flags.SnapshotCreate.QUIESCE | Flags.SnapshotCreate.LIVE
                | Flags.SnapshotCreate.ATOMIC | Flags.SnapshotCreate.VALIDATE, "qemuDomainSnapshotCreateXML");
        if ((flags & Flags.SnapshotCreate.QUIESCE) != 0 && (flags & Flags.SnapshotCreate.DISK_ONLY) == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, // VIR_REQUIRE_FLAG_RET
                    "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'");
        }
        SnapshotRequest req = SnapshotRequest.parse(xml);
        boolean redefining = (flags & Flags.SnapshotCreate.REDEFINE) != 0;
        try (DomainLocks.Held h = locks.domain(d.name())) {
            StoredDomain o = store.obj(d);
            SnapshotMetadata m = meta(o);
            if (redefining) return redefine(o, m, req, (flags & Flags.SnapshotCreate.CURRENT) != 0);
            if ((flags & Flags.SnapshotCreate.CURRENT) != 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                        "use of 'current' flag in virDomainSnapshotCreateXML requires 'redefine' flag"); // libvirt.c's words
            }
            boolean offline = !o.active() || (flags & Flags.SnapshotCreate.DISK_ONLY) != 0;
            org.jvirt.driver.def.SnapshotXmlChecks.check(req, offline);
            boolean noMetadata = (flags & Flags.SnapshotCreate.NO_METADATA) != 0;
            String name = req.name() != null ? req.name() : Long.toString(clock.instant().getEpochSecond());
            if (!noMetadata && (!JvirtPaths.isFileName(name) || !JvirtPaths.fitsFileName(name) || name.startsWith("."))) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                        "snapshot name '" + name + "' cannot be a file name");
            }
            if ((flags & Flags.SnapshotCreate.LIVE) != 0 && (!o.active() || !"external".equals(req.memory()))) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "live snapshot creation is supported only during full system snapshots");
            }
            if (m.get(name) != null) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                        "domain moment " + name + " already exists");
            }
            JvirtSnapshot current = m.current();
            String parent = current == null ? null : current.name();
            long now = clock.instant().getEpochSecond();
            JvirtSnapshot s;
            List<Path> images = List.of();
            if (o.active() && ((flags & Flags.SnapshotCreate.DISK_ONLY) != 0 || "external".equals(req.memory())
                    || req.disks().stream().anyMatch(x -> "external".equals(x[1])))) {
                s = takeExternalRunning(o, req, name, flags, parent, now);
            } else if (o.active()) {
                // (QUIESCE needs DISK_ONLY, checked above; REUSE_EXT has no file to reuse in an internal snapshot;
                // NO_METADATA: the disks' snapshots and the state file are taken, no metadata is stored)
                DomainDefinition live = o.liveDef();
                images = DiskSnapshots.internalImages(live.model()); // a raw disk is refused before anything changes
                String state = store.state(o).state() == org.jvirt.driver.api.DomainInfo.DomainState.VIR_DOMAIN_PAUSED
                        ? "paused" : "running";
                String xmlNow = DomainSaveImages.imageXml(live);
                takeRunning(o, name, xmlNow);
                s = new JvirtSnapshot(name, req.description(), state, now, parent, "internal", null,
                        DiskSnapshots.align(live.model()), xmlNow.stripTrailing());
            } else {
                // QUIESCE (with DISK_ONLY) asks the guest agent of a running guest: nothing to do here, as libvirt
                DomainDefinition def = o.config();
                String domainXml = def.format(-1).stripTrailing(); // the disks as they are before the snapshot
                boolean reuse = (flags & Flags.SnapshotCreate.REUSE_EXT) != 0;
                List<SnapshotDiskPlan.Entry> plan = SnapshotDiskPlan.align(def.model(), req, name,
                        (flags & Flags.SnapshotCreate.DISK_ONLY) != 0 ? "external" : "internal");
                boolean external = SnapshotDiskPlan.prepare(def.model(), plan, reuse, false,
                        (flags & Flags.SnapshotCreate.DISK_ONLY) != 0 || !req.disks().isEmpty());
                List<String[]> disks = new ArrayList<>();
                for (SnapshotDiskPlan.Entry e : plan) disks.add(e.metadata());
                if (external) {
                    ExternalSnapshots.create(def.model(), plan, reuse);
                    try {
                        AtomicFiles.write(paths.config(o.name()), DomainDefinition.of(def.model()).format(-1));
                    } catch (IOException e) {
                        if (!reuse) for (SnapshotDiskPlan.Entry x : plan) if (x.mode().equals("external")) Files.deleteIfExists(Path.of(x.file()));
                        throw JvirtErrors.io(e);
                    }
                } else {
                    images = DiskSnapshots.internalImages(def.model());
                    DiskSnapshots.create(images, name);
                }
                s = new JvirtSnapshot(name, req.description(), "shutoff", now, parent, "no", null, disks, domainXml);
            }
            if (!noMetadata) {
                try {
                    m.put(s);
                    m.setCurrent(name);
                } catch (IOException e) {
                    if (!o.active() && !s.external()) DiskSnapshots.delete(images, name);
                    if (!o.active() && s.external()) undoExternal(o, s, (flags & Flags.SnapshotCreate.REUSE_EXT) != 0);
                    throw JvirtErrors.io(e);
                }
            }
            if ((flags & Flags.SnapshotCreate.HALT) != 0 && o.active()) {
                lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FROM_SNAPSHOT);
            }
            return new SnapshotRef(o.ref(), name);
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }

    /** The metadata of a new external snapshot could not be stored: the config goes back, new overlays go. */
    private void undoExternal(StoredDomain o, JvirtSnapshot s, boolean reused) {
        try {
            AtomicFiles.write(paths.config(o.name()), s.domainXml() + "\n");
            if (!reused) for (String[] e : ExternalSnapshots.externalDisks(s)) Files.deleteIfExists(Path.of(e[1]));
        } catch (IOException | LibvirtException ignored) {
            // best effort: the error being reported is the metadata's
        }
    }

    /**
     * virDomainSnapshotRedefinePrep: the metadata as given (snapshot-edit, snapshot-current NAME),
     * replacing a snapshot of that name; nothing is done to the disks.
     */
    private SnapshotRef redefine(StoredDomain o, SnapshotMetadata m, SnapshotRequest req, boolean current) throws LibvirtException {
        if (req.name() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "a redefined snapshot must have a name");
        }
        if (req.domainXml() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "missing domain in snapshot");
        }
        if (!JvirtPaths.isFileName(req.name()) || !JvirtPaths.fitsFileName(req.name()) || req.name().startsWith(".")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "snapshot name '" + req.name() + "' cannot be a file name");
        }
        String state = req.state() != null ? req.state() : "shutoff";
        String memory = req.memory() != null && !req.memory().isEmpty() ? req.memory() : state.equals("shutoff") ? "no" : "internal";
        long time = req.creationTime() != null ? req.creationTime() : clock.instant().getEpochSecond();
        String domain = DomainDefinition.of(DomainDefinition.parse(req.domainXml())).format(-1).stripTrailing();
        JvirtSnapshot s = new JvirtSnapshot(req.name(), req.description(), state, time, req.parent(), memory, req.memoryFile(), req.disks(), domain);
        try {
            m.put(s);
            if (current) m.setCurrent(s.name());
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
        return new SnapshotRef(o.ref(), s.name());
    }

    /**
     * After the VMM moved disks: the status gets LIVE (the definition it runs) and the config,
     * as libvirt updates both, each disk of MOVES ({target, old file, new file, new format}) that
     * is still on the old file moves to the new one.
     */
    private void recordDiskMoves(StoredDomain o, Domain live, List<String[]> moves) throws LibvirtException, IOException {
        AtomicFiles.write(paths.status(o.name()), o.status().withLiveXml(DomainDefinition.of(live).format(o.status().id())).format());
        if (!o.persistent()) return;
        Domain config = o.config().model();
        for (String[] mv : moves) {
            Disk d = ExternalSnapshots.disk(config, mv[0]);
            if (d != null && mv[1].equals(SnapshotDiskPlan.source(d))) ExternalSnapshots.setSource(d, mv[2], mv[3]);
        }
        AtomicFiles.write(paths.config(o.name()), DomainDefinition.of(config).format(-1));
    }

    /**
     * Whether a running domain can take SNAP in its own VMM (QEMU's loadvm), as libvirt does when
     * the snapshot's definition is ABI-compatible with the running one: a full-system internal
     * snapshot of the same machine (RAM, vCPUs) on the same disks. Otherwise the VMM is replaced.
     */
    private static boolean revertsInPlace(StoredDomain o, JvirtSnapshot snap) throws LibvirtException {
        if (snap.external() || "shutoff".equals(snap.state()) || "disk-snapshot".equals(snap.state())) return false;
        DomainDefinition live = o.liveDef();
        DomainDefinition then = DomainDefinition.of(DomainDefinition.parse(snap.domainXml()));
        if (live.memoryKiB() != then.memoryKiB() || live.maxVcpus() != then.maxVcpus()) return false;
        List<String> a = new ArrayList<>(), b = new ArrayList<>();
        for (Disk d : DeviceLookup.disks(live)) a.add(d.getTarget().getDev() + "=" + SnapshotDiskPlan.source(d) + ":" + SnapshotDiskPlan.diskFormat(d));
        for (Disk d : DeviceLookup.disks(then)) b.add(d.getTarget().getDev() + "=" + SnapshotDiskPlan.source(d) + ":" + SnapshotDiskPlan.diskFormat(d));
        return a.equals(b);
    }

    /**
     * The running VMM reverts its disks to SNAP's internal snapshots and loads SNAP's state file
     * (jvirt-load-snapshot); the domain then has SNAP's definition, running or paused from
     * snapshot (as it was taken unless REVERT_RUNNING or REVERT_PAUSED says otherwise).
     */
    private void revertInPlace(StoredDomain o, JvirtSnapshot snap, int flags) throws LibvirtException, IOException {
        Path file = stateFile(o.name(), snap.name());
        MachineStateFile.SavedDomain saved = MachineStateFile.savedDomain(file);
        boolean paused = (flags & REVERT_PAUSED) != 0 || ((flags & REVERT_RUNNING) == 0 && !saved.wasRunning());
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), SNAPSHOT_TIMEOUT)) {
            c.call(new Command.JvirtLoadSnapshot(file.toString(), snap.name(), !paused));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot revert domain '" + o.name() + "' to snapshot '" + snap.name() + "': " + e.getMessage());
        }
        DomainStatus st = o.status();
        String live = LiveXml.of(DomainDefinition.of(DomainDefinition.parse(snap.domainXml())), st.id(), st.consolePath(), st.consoleType());
        int reason = paused ? org.jvirt.driver.api.DomainStateReason.PausedReason.FROM_SNAPSHOT.ordinal()
                : org.jvirt.driver.api.DomainStateReason.RunningReason.FROM_SNAPSHOT.ordinal();
        AtomicFiles.write(paths.status(o.name()), st.withState(paused ? "paused" : "running", reason).withLiveXml(live).format());
    }

    /**
     * qemuSnapshotCreateActiveExternal, disk-only: the driver makes each external disk's qcow2
     * overlay over the image the domain runs on (or, REUSE_EXT, takes the caller's), the VMM
     * pauses, moves the disks onto them and resumes; then the live XML and the persistent config
     * name the overlays. The metadata keeps the domain as it was (on the old images), state
     * "disk-snapshot". External memory (--memspec) is not there yet.
     */
    private JvirtSnapshot takeExternalRunning(StoredDomain o, SnapshotRequest req, String name, int flags, String parent, long now)
            throws LibvirtException, IOException {
        if ((flags & Flags.SnapshotCreate.QUIESCE) != 0) {
            // qemuSnapshotFSFreeze needs the guest agent: jvirt has no agent channel
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, "QEMU guest agent is not configured");
        }
        boolean memory = "external".equals(req.memory()) || req.memoryFile() != null;
        if ("internal".equals(req.memory())) {
            throw SnapshotDiskPlan.unsupported("mixing internal and external targets for a snapshot is not yet supported");
        }
        Path memoryFile = memory ? Path.of(req.memoryFile()) : null;
        if (memoryFile != null && Files.exists(memoryFile)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU,
                    "memory snapshot file '" + memoryFile + "' already exists");
        }
        boolean reuse = (flags & Flags.SnapshotCreate.REUSE_EXT) != 0;
        DomainDefinition live = o.liveDef();
        String before = DomainSaveImages.imageXml(live).stripTrailing();
        String state = store.state(o).state() == org.jvirt.driver.api.DomainInfo.DomainState.VIR_DOMAIN_PAUSED ? "paused" : "running";
        Domain model = live.model();
        List<SnapshotDiskPlan.Entry> plan = SnapshotDiskPlan.align(model, req, name, "external");
        SnapshotDiskPlan.prepare(model, plan, reuse, memory, !memory);
        List<Command.DiskOverlay> overlays = new ArrayList<>();
        for (SnapshotDiskPlan.Entry e : plan) {
            if (e.mode().equals("external")) overlays.add(new Command.DiskOverlay(VmmDisks.indexOf(live, ExternalSnapshots.disk(model, e.target())),
                    Path.of(e.file()).toAbsolutePath().toString(), e.format() == null ? "qcow2" : e.format()));
        }
        ExternalSnapshots.create(model, plan, reuse); // the overlays exist; model's disks name them
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), SNAPSHOT_TIMEOUT)) {
            c.call(new Command.JvirtSnapshotExternal(overlays, memoryFile == null ? null : memoryFile.toAbsolutePath().toString(), before));
        } catch (IOException e) {
            if (!reuse) for (Command.DiskOverlay x : overlays) Files.deleteIfExists(Path.of(x.file()));
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot snapshot domain '" + o.name() + "': " + e.getMessage());
        }
        // the VMM runs on the overlays now: so do the live XML and, as libvirt updates both, the config
        List<String[]> moves = new ArrayList<>();
        for (SnapshotDiskPlan.Entry e : plan) {
            if (e.mode().equals("external") && e.base() != null) {
                moves.add(new String[] {e.target(), e.base().toString(), e.file(), e.format() == null ? "qcow2" : e.format()});
            }
        }
        recordDiskMoves(o, model, moves);
        List<String[]> meta = new ArrayList<>();
        for (SnapshotDiskPlan.Entry e : plan) meta.add(e.metadata());
        return memory ? new JvirtSnapshot(name, req.description(), state, now, parent, "external", memoryFile.toString(), meta, before)
                : new JvirtSnapshot(name, req.description(), "disk-snapshot", now, parent, "no", null, meta, before);
    }

    /** The running domain's VMM takes the snapshot: disks' internal snapshots and the state file. */
    private void takeRunning(StoredDomain o, String name, String domainXml) throws LibvirtException {
        Path file = stateFile(o.name(), name);
        try {
            PrivateDirs.ensure(file.getParent());
            try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), SNAPSHOT_TIMEOUT)) {
                c.call(new Command.JvirtSnapshot(file.toString(), domainXml, name));
            }
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot snapshot domain '" + o.name() + "': " + e.getMessage());
        }
    }

    private static void deleteRunning(StoredDomain o, String name) throws LibvirtException {
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), SNAPSHOT_TIMEOUT)) {
            c.call(new Command.JvirtSnapshotDelete(name));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot delete snapshot '" + name + "' of domain '" + o.name() + "': " + e.getMessage());
        }
    }

    /** A running snapshot's machine state, beside its metadata. */
    private Path stateFile(String domain, String snapshot) {
        return SnapshotMetadata.dir(paths, domain).resolve(snapshot + ".save").toAbsolutePath();
    }

    List<String> listNames(DomainRef d, int flags) throws LibvirtException {
        SnapshotMetadata m = meta(store.obj(d));
        List<String> out = new ArrayList<>();
        for (JvirtSnapshot s : m.all()) {
            if ((flags & Flags.SnapshotList.ROOTS) != 0 && s.parent() != null) continue;
            if (filter(m, s, flags)) out.add(s.name());
        }
        return out;
    }

    /** virDomainSnapshotFilter: leaves, metadata, state and location filters. */
    private static boolean filter(SnapshotMetadata m, JvirtSnapshot s, int flags) {
        boolean leaf = m.children(s.name()).isEmpty();
        if ((flags & Flags.SnapshotList.LEAVES) != 0 && !leaf) return false;
        if ((flags & Flags.SnapshotList.NO_LEAVES) != 0 && leaf) return false;
        if ((flags & Flags.SnapshotList.NO_METADATA) != 0 && (flags & Flags.SnapshotList.METADATA) == 0) return false;
        int states = Flags.SnapshotList.INACTIVE | Flags.SnapshotList.ACTIVE | Flags.SnapshotList.DISK_ONLY;
        if ((flags & states) != 0) {
            boolean ok = s.state().equals("shutoff") ? (flags & Flags.SnapshotList.INACTIVE) != 0
                    : s.state().equals("disk-snapshot") ? (flags & Flags.SnapshotList.DISK_ONLY) != 0
                    : (flags & Flags.SnapshotList.ACTIVE) != 0;
            if (!ok) return false;
        }
        int locations = Flags.SnapshotList.INTERNAL | Flags.SnapshotList.EXTERNAL;
        if ((flags & locations) == 0) return true;
        return (flags & (s.external() ? Flags.SnapshotList.EXTERNAL : Flags.SnapshotList.INTERNAL)) != 0;
    }

    SnapshotRef lookupByName(DomainRef d, String name) throws LibvirtException {
        StoredDomain o = store.obj(d);
        return new SnapshotRef(o.ref(), meta(o).require(name).name());
    }

    boolean hasCurrent(DomainRef d) throws LibvirtException {
        return meta(store.obj(d)).current() != null;
    }

    SnapshotRef current(DomainRef d) throws LibvirtException {
        StoredDomain o = store.obj(d);
        JvirtSnapshot c = meta(o).current();
        if (c == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "the domain does not have a current snapshot");
        }
        return new SnapshotRef(o.ref(), c.name());
    }

    String getXMLDesc(SnapshotRef s) throws LibvirtException {
        return meta(store.obj(s.domain())).require(s.name()).format();
    }

    String parentName(SnapshotRef s) throws LibvirtException {
        return meta(store.obj(s.domain())).require(s.name()).parent();
    }

    boolean isCurrent(SnapshotRef s) throws LibvirtException {
        SnapshotMetadata m = meta(store.obj(s.domain()));
        m.require(s.name());
        return m.current() != null && m.current().name().equals(s.name());
    }

    List<String> listChildrenNames(SnapshotRef s, int flags) throws LibvirtException {
        SnapshotMetadata m = meta(store.obj(s.domain()));
        List<String> out = new ArrayList<>();
        collect(m, m.require(s.name()).name(), (flags & Flags.SnapshotList.DESCENDANTS) != 0, flags, out);
        return out;
    }

    private static void collect(SnapshotMetadata m, String parent, boolean deep, int flags, List<String> out) {
        for (JvirtSnapshot c : m.children(parent)) {
            if (filter(m, c, flags)) out.add(c.name());
            if (deep) collect(m, c.name(), true, flags, out);
        }
    }

    /** qemuDomainSnapshotDelete: the disks' internal snapshots (unless METADATA_ONLY), then the metadata. */
    void delete(SnapshotRef ref, int flags) throws LibvirtException {
        checkFlags(flags, Flags.SnapshotDelete.CHILDREN | Flags.SnapshotDelete.CHILDREN_ONLY
                | Flags.SnapshotDelete.METADATA_ONLY, "qemuDomainSnapshotDelete");
        try (DomainLocks.Held h = locks.domain(ref.domain().name())) {
            StoredDomain o = store.obj(ref.domain());
            SnapshotMetadata m = meta(o);
            JvirtSnapshot snap = m.require(ref.name());
            boolean metadataOnly = (flags & Flags.SnapshotDelete.METADATA_ONLY) != 0;
            List<String> victims = new ArrayList<>();
            if ((flags & (Flags.SnapshotDelete.CHILDREN | Flags.SnapshotDelete.CHILDREN_ONLY)) != 0) {
                collect(m, snap.name(), true, 0, victims);
            }
            boolean childrenOnly = (flags & Flags.SnapshotDelete.CHILDREN_ONLY) != 0;
            if (!childrenOnly) victims.add(snap.name());
            JvirtSnapshot current = m.current();
            boolean currentGoes = current != null && victims.contains(current.name());
            boolean merges = !metadataOnly && victims.stream().anyMatch(v -> m.get(v).external());
            if (merges) {
                // overlays are merged top first: the deepest snapshots before their parents (reverse pre-order)
                if (!childrenOnly) {
                    victims.remove(snap.name());
                    victims.add(0, snap.name());
                }
                java.util.Collections.reverse(victims);
                JvirtSnapshot first = m.get(victims.get(0));
                if (first.external() && !childrenOnly && victims.size() == 1 && !m.children(first.name()).isEmpty()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                            "cannot merge external snapshot '" + first.name() + "': it has child snapshots (delete them first, or use --children)");
                }
                ExternalSnapshots.checkMergeable(o.active() ? o.liveDef().model() : o.config().model(), first);
            }
            for (String v : victims) {
                JvirtSnapshot s = m.get(v);
                if (!metadataOnly && s.external()) {
                    if (o.active()) mergeIntoRunning(o, s); else mergeInto(o, s);
                } else if (!metadataOnly) {
                    // a running domain's VMM has the disks open: it deletes their snapshots itself
                    if (o.active()) deleteRunning(o, v); else DiskSnapshots.delete(snapshotImages(s), v);
                    AtomicFiles.delete(stateFile(o.name(), v)); // a VMM restored from it keeps its mapping
                }
                if (v.equals(snap.name())) {
                    // the children of a snapshot deleted alone move to its parent
                    for (JvirtSnapshot c : m.children(v)) m.put(c.withParent(s.parent()));
                }
                m.remove(v);
            }
            if (currentGoes) m.setCurrent(childrenOnly ? snap.name() : snap.parent() != null && m.get(snap.parent()) != null ? snap.parent() : null);
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }

    /**
     * Block commit of an external snapshot of a shut-off domain: its overlays go into their base
     * images, the stored config points back at the bases, then the overlay files go.
     */
    private void mergeInto(StoredDomain o, JvirtSnapshot s) throws LibvirtException, IOException {
        org.jvirt.xml.domain.Domain def = store.obj(o.ref()).config().model();
        ExternalSnapshots.checkMergeable(def, s);
        ExternalSnapshots.merge(def, s);
        AtomicFiles.write(paths.config(o.name()), DomainDefinition.of(def).format(-1));
        ExternalSnapshots.removeOverlays(s);
    }

    /**
     * Block commit of an external snapshot of a running domain (libvirt 9.0 cannot delete external
     * snapshots): the VMM is paused (stop), the overlays are committed into their bases, the VMM
     * moves its disks back onto the bases (jvirt-snapshot-external with the bases), and it runs
     * on if it was running; then the live XML and the config name the bases, and the overlays go.
     * QEMU's active block-commit does this without the pause.
     */
    private void mergeIntoRunning(StoredDomain o, JvirtSnapshot s) throws LibvirtException, IOException {
        StoredDomain now = store.obj(o.ref());
        DomainDefinition liveDef = now.liveDef();
        org.jvirt.xml.domain.Domain live = liveDef.model();
        ExternalSnapshots.checkMergeable(live, s);
        List<Command.DiskOverlay> bases = new ArrayList<>();
        for (String[] e : ExternalSnapshots.externalDisks(s)) {
            bases.add(new Command.DiskOverlay(VmmDisks.indexOf(liveDef, ExternalSnapshots.disk(live, e[0])), Path.of(e[2]).toAbsolutePath().toString(), e[3]));
        }
        try (ControlClient c = ControlClient.connect(Path.of(now.status().monitor()), SNAPSHOT_TIMEOUT)) {
            boolean running = c.call(new Command.QueryStatus()).running();
            c.call(new Command.Stop());
            try {
                ExternalSnapshots.merge(live, s); // the overlays' data into the bases; live's disks on the bases
                c.call(new Command.JvirtSnapshotExternal(bases, null, null));
            } finally {
                if (running) c.call(new Command.Cont());
            }
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot merge external snapshot '" + s.name() + "' of domain '" + o.name() + "': " + e.getMessage());
        }
        List<String[]> moves = new ArrayList<>();
        for (String[] e : ExternalSnapshots.externalDisks(s)) moves.add(new String[] {e[0], e[1], e[2], e[3]});
        recordDiskMoves(now, live, moves);
        ExternalSnapshots.removeOverlays(s);
    }

    /**
     * qemuSnapshotRevert: a running domain is stopped first; the disks go back to the snapshot;
     * a shut-off snapshot brings the config back, a running or paused one starts a new VMM from
     * its state file (in the state it was taken in, unless RUNNING or PAUSED says otherwise).
     */
    void revert(SnapshotRef ref, int flags) throws LibvirtException {
        checkFlags(flags, REVERT_RUNNING | REVERT_PAUSED | REVERT_FORCE, "qemuDomainRevertToSnapshot");
        try (DomainLocks.Held h = locks.domain(ref.domain().name())) {
            StoredDomain o = store.obj(ref.domain());
            SnapshotMetadata m = meta(o);
            JvirtSnapshot snap = m.require(ref.name());
            if (o.active() && revertsInPlace(o, snap)) {
                revertInPlace(o, snap, flags);
                m.setCurrent(snap.name());
                return;
            }
            if (o.active()) lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FROM_SNAPSHOT);
            if (snap.external()) {
                // libvirt 9.0 refuses this; jvirt puts each disk on a new overlay over the snapshot's base image
                List<Path> made = new ArrayList<>();
                org.jvirt.xml.domain.Domain def = ExternalSnapshots.revert(snap, made);
                try {
                    if (o.persistent()) AtomicFiles.write(paths.config(o.name()), DomainDefinition.of(def).format(-1));
                } catch (IOException e) {
                    for (Path p : made) Files.deleteIfExists(p);
                    throw e;
                }
                if ("external".equals(snap.memory()) && snap.memoryFile() != null) {
                    // the machine as it was, on disks that read as they were then
                    Path file = Path.of(snap.memoryFile());
                    MachineStateFile.SavedDomain saved = MachineStateFile.savedDomain(file);
                    boolean paused = (flags & REVERT_PAUSED) != 0 || ((flags & REVERT_RUNNING) == 0 && !saved.wasRunning());
                    lifecycle.restore(DomainDefinition.of(def).format(-1), file, paused, true);
                }
                m.setCurrent(snap.name());
                return;
            }
            DiskSnapshots.apply(snapshotImages(snap), snap.name());
            if (snap.state().equals("shutoff")) {
                if (o.persistent()) {
                    DomainDefinition def = DomainDefinition.of(DomainDefinition.parse(snap.domainXml()));
                    AtomicFiles.write(paths.config(o.name()), def.format(-1));
                }
            } else {
                Path file = stateFile(o.name(), snap.name());
                MachineStateFile.SavedDomain saved = MachineStateFile.savedDomain(file);
                boolean paused = (flags & REVERT_PAUSED) != 0 || ((flags & REVERT_RUNNING) == 0 && !saved.wasRunning());
                lifecycle.restore(saved.domainXml(), file, paused, true);
            }
            m.setCurrent(snap.name());
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }

    /** The images a snapshot's own domain XML names for its internal disks. */
    private static List<Path> snapshotImages(JvirtSnapshot s) throws LibvirtException {
        return DiskSnapshots.internalImages(DomainDefinition.parse(s.domainXml()));
    }

    private static void checkFlags(int flags, int allowed, String function) throws LibvirtException {
        int unknown = flags & ~allowed;
        if (unknown != 0) {
            // virCheckFlags words it without the "invalid argument" prefix
            throw new LibvirtException(new Error(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    Error.ErrorLevel.VIR_ERR_ERROR, String.format("unsupported flags (0x%x) in function %s", unknown, function)));
        }
    }
}
