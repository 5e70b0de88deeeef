package org.jvirt.driver.jvirt;

import org.jvirt.vmm.protocol.ExitReason;
import org.jvirt.vmm.protocol.launch.ExitRecord;
import static org.jvirt.driver.jvirt.JvirtErrors.invalid;
import static org.jvirt.driver.jvirt.JvirtErrors.io;
import static org.jvirt.driver.jvirt.JvirtErrors.noDomain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;

/**
 * The domains of one URI as its files describe them: configs, status files (reaped when their
 * VMM is gone, half-done starts reconciled) and shutoff reasons; lookups by name, uuid, id and
 * list flags; and the URI's per-domain locks ({@link DomainLocks}).
 */
final class DomainStore {

    private final JvirtPaths paths;
    private final DomainLocks locks;
    private final VmmReconciler reconciler;

    DomainStore(JvirtPaths paths) {
        this.paths = paths;
        this.locks = new DomainLocks(paths);
        this.reconciler = new VmmReconciler(this);
    }

    JvirtPaths paths() { return paths; }

    VmmReconciler reconciler() { return reconciler; }

    DomainLocks locks() { return locks; }

    /**
     * The domain NAME, or null; a name that cannot be a file name (has '/') has no domain.
     * A config or status file that does not load is skipped with a warning ({@link DamagedFiles}).
     */
    StoredDomain load(String name) throws LibvirtException {
        if (!JvirtPaths.isFileName(name)) return null;
        try {
            DomainDefinition cfg = config(name);
            DomainStatus st = liveStatus(name, cfg);
            if (cfg == null && st == null) return null;
            return new StoredDomain(name, cfg, st);
        } catch (IOException e) {
            throw io(e);
        }
    }

    private DomainDefinition config(String name) throws IOException {
        Path file = paths.config(name);
        String text = readOrSkip(name, file);
        if (text == null) return null;
        if (text.isBlank()) {
            DamagedFiles.skipped(paths, name, file, "the file is empty");
            return null;
        }
        try {
            return DomainDefinition.of(DomainDefinition.parse(text));
        } catch (LibvirtException | RuntimeException e) {
            DamagedFiles.skipped(paths, name, file, e.getMessage());
            return null;
        }
    }

    /**
     * The status of a running domain, as its VMM proves it: a status whose VMM is gone is reaped
     * (shut off, with the reason it left), a half-done start or an unrecorded VMM is reconciled.
     * That takes the domain's lock only if it is free (a lookup may run under another domain's
     * lock); when another operation holds it, that one reconciles, and the domain reads as shut
     * off meanwhile.
     */
    private DomainStatus liveStatus(String name, DomainDefinition cfg) throws IOException, LibvirtException {
        Path file = paths.status(name);
        String text = readOrSkip(name, file);
        DomainStatus st = text == null ? null : DomainStatus.parse(text);
        if (st != null && !st.isStarting() && alive(st)) return st;
        if (text == null && !Files.exists(paths.pidFile(name))) return null; // nothing recorded, no VMM
        try (DomainLocks.Held h = locks.tryDomain(name)) {
            if (h == null) return null;
            text = readOrSkip(name, file);
            st = null;
            if (text != null) {
                try {
                    st = DomainStatus.parseOrExplain(text);
                } catch (IllegalArgumentException e) {
                    DamagedFiles.skipped(paths, name, file, e.getMessage());
                }
            }
            if (st != null && !st.isStarting() && alive(st)) return st;
            return reconciler.reconcile(name, st, cfg);
        }
    }

    /** FILE's text; null when it does not exist or cannot be read (skipped with a warning). */
    private String readOrSkip(String name, Path file) {
        try {
            return AtomicFiles.readOrNull(file);
        } catch (IOException e) {
            DamagedFiles.skipped(paths, name, file, DamagedFiles.reason(e));
            return null;
        }
    }

    /**
     * Domain ids grow for the life of the run directory, as libvirt's (which restart at 1 after a
     * host reboot). Takes the URI-wide lock briefly: callers may hold a domain's lock, never it.
     */
    int nextId() throws IOException, LibvirtException {
        try (DomainLocks.Held h = locks.uri()) {
            String s = AtomicFiles.readOrNull(paths.nextIdFile());
            int id = 1;
            try {
                if (s != null) id = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // damaged: ids start again from 1 (as after a host reboot)
            }
            AtomicFiles.write(paths.nextIdFile(), (id + 1) + "\n");
            return id;
        }
    }

    /** The VMM process the status names is alive (same pid and start time, so a reused pid does not count). */
    static boolean alive(DomainStatus st) {
        return ProcessHandle.of(st.pid()).filter(ProcessHandle::isAlive).filter(p -> !ProcStat.zombie(p.pid()))
                .map(p -> st.startMillis() == 0 || p.info().startInstant()
                        .map(i -> Math.abs(i.toEpochMilli() - st.startMillis()) < 1000).orElse(true))
                .orElse(false);
    }

    /** Removes the temp files of interrupted writes in the config and run directories (best effort: never fails an open). */
    void removeStaleTemps() {
        for (Path dir : List.of(paths.configDir(), paths.runDir())) {
            try {
                AtomicFiles.removeStaleTemps(dir);
            } catch (IOException e) {
                // an unreadable directory: the operations that need it will say so
            }
        }
    }

    /** Removes a stopped domain's runtime files and records why it stopped (reason: null = read the VMM's exit file). */
    void reap(String name, ShutoffReason reason) throws IOException {
        if (reason == null) {
            ExitRecord exit = ExitRecord.read(paths.exitFile(name));
            ExitReason r = exit == null ? null : exit.reason();
            reason = r == null ? ShutoffReason.CRASHED : switch (r) {
                case SHUTDOWN -> ShutoffReason.SHUTDOWN;
                case DESTROYED -> ShutoffReason.DESTROYED;
                case SAVED -> ShutoffReason.SAVED;
                case MIGRATED -> ShutoffReason.MIGRATED;
                case CRASHED, FAILED -> ShutoffReason.CRASHED;
            };
        }
        AtomicFiles.write(paths.shutoffFile(name), reason.name() + "\n");
        AtomicFiles.delete(paths.status(name));
        Files.deleteIfExists(paths.exitFile(name));
        // a locked pid file belongs to a live VMM: a new one in its place would let a second VMM lock it
        if (!VmmPidFile.held(paths.pidFile(name))) Files.deleteIfExists(paths.pidFile(name));
        Files.deleteIfExists(paths.monitor(name));
    }

    private List<String> names() throws LibvirtException {
        TreeSet<String> out = new TreeSet<>();
        for (Path dir : List.of(paths.configDir(), paths.runDir())) {
            if (!Files.isDirectory(dir)) continue;
            try (var s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
                        .forEach(n -> out.add(n.substring(0, n.length() - 4)));
            } catch (IOException e) {
                throw io(e);
            }
        }
        return new ArrayList<>(out);
    }

    List<StoredDomain> all() throws LibvirtException {
        List<StoredDomain> out = new ArrayList<>();
        for (String n : names()) {
            StoredDomain o = load(n);
            if (o != null) out.add(o);
        }
        return out;
    }

    /** The object behind a handle, checked by uuid (qemuDomainObjFromDomain). */
    StoredDomain obj(DomainRef d) throws LibvirtException {
        StoredDomain o = load(d.name());
        if (o == null || !o.uuid().equalsIgnoreCase(d.uuid())) {
            throw noDomain("no domain with matching uuid '" + d.uuid() + "' (" + d.name() + ")");
        }
        return o;
    }

    static StoredDomain requireActive(StoredDomain o) throws LibvirtException {
        if (!o.active()) throw invalid("domain is not running");
        return o;
    }

    boolean autostart(StoredDomain o) { return Files.exists(paths.autostartLink(o.name())); }

    DomainStateReason state(StoredDomain o) {
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

    // ---------------------------------------------------------------- lookup

    List<DomainRef> listAll(int flags) throws LibvirtException {
        List<DomainRef> out = new ArrayList<>();
        for (StoredDomain o : all()) if (matches(o, flags)) out.add(o.ref());
        return out;
    }

    private boolean matches(StoredDomain o, int f) {
        if (!pair(f, Flags.ListAllDomains.ACTIVE, Flags.ListAllDomains.INACTIVE, o.active())) return false;
        if (!pair(f, Flags.ListAllDomains.PERSISTENT, Flags.ListAllDomains.TRANSIENT, o.persistent())) return false;
        if (!pair(f, Flags.ListAllDomains.MANAGEDSAVE, Flags.ListAllDomains.NO_MANAGEDSAVE, Files.exists(paths.managedSave(o.name())))) return false;
        if (!pair(f, Flags.ListAllDomains.AUTOSTART, Flags.ListAllDomains.NO_AUTOSTART, autostart(o))) return false;
        if (!pair(f, Flags.ListAllDomains.HAS_SNAPSHOT, Flags.ListAllDomains.NO_SNAPSHOT, SnapshotMetadata.count(paths, o.name()) > 0)) return false;
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

    DomainRef lookupByName(String name) throws LibvirtException {
        StoredDomain o = load(name);
        if (o == null) throw noDomain("no domain with matching name '" + name + "'");
        return o.ref();
    }

    DomainRef lookupByUUID(String uuid) throws LibvirtException {
        for (StoredDomain o : all()) if (o.uuid().equalsIgnoreCase(uuid)) return o.ref();
        throw noDomain("no domain with matching uuid '" + uuid + "'");
    }

    DomainRef lookupByID(int id) throws LibvirtException {
        for (StoredDomain o : all()) if (o.active() && o.status().id() == id) return o.ref();
        throw noDomain("no domain with matching id " + id);
    }
}
