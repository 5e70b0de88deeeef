package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.JvirtErrors.invalid;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.MigrationPhase;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.MigrationStats;
import org.jvirt.vmm.protocol.RunState;

/**
 * Live migration v3 on jvirt URIs, as libvirt's qemu driver runs it (qemu_migration.c): Begin
 * on the source gives the XML and a cookie; Prepare on the destination starts the domain's VMM
 * with --incoming on a port of 49152-49215 and answers its address; Perform makes the source's
 * VMM send the guest there (jvirt-migrate), the source left paused; Finish records the guest
 * running on the destination; Confirm ends the source (or runs it again when cancelled). Each
 * state root is a host: its host UUID is made once (the cookie carries it, and a migration to
 * the same host is refused as libvirt refuses it). Peer-to-peer migration is PeerMigration (the
 * source drives the phases itself), the tunnel TunnelledMigration; offline migration moves only
 * the definition (Prepare starts nothing, Finish defines it).
 */
final class DomainMigration {
    /** VIR_MIGRATE_* flags used here. */
    static final int LIVE = 1, PEER2PEER = 2, TUNNELLED = 4, PERSIST_DEST = 8, UNDEFINE_SOURCE = 16, PAUSED = 32,
            NON_SHARED_DISK = 64, NON_SHARED_INC = 128, CHANGE_PROTECTION = 256, OFFLINE = 1024, ABORT_ON_ERROR = 4096, AUTO_CONVERGE = 8192;
    static final Duration FINISH_WAIT = Duration.ofSeconds(60);
    /**
     * How long Perform waits for the VMM's answer: a migration takes as long as RAM over bandwidth
     * (minutes at migrate-setspeed's low values) and ends on its own (done, the stream stalled
     * for MigrationStream.STALL_TIMEOUT_MS, domjobabort, the VMM gone), so this is only a backstop.
     */
    static final Duration MIGRATE_WAIT = Duration.ofHours(24);
    private static final Pattern COOKIE = Pattern.compile("<(name|uuid|hostname|hostuuid|resumed)>([^<]*)</\\1>");

    private final DomainStore store;
    private final DomainLifecycle lifecycle;
    private final JvirtPaths paths;
    /** migration_address, migration_host, migration_port_min/max. */
    private final MigrationListen listen;

    DomainMigration(DomainStore store, DomainLifecycle lifecycle, JvirtPaths paths, MigrationListen listen) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.paths = paths;
        this.listen = listen;
    }

    /** This state root's host UUID, made once. */
    String hostUuid() throws LibvirtException {
        Path f = paths.configDir().resolve("host-uuid");
        try {
            if (Files.exists(f)) return Files.readString(f).trim();
            Files.createDirectories(f.getParent());
            String u = UUID.randomUUID().toString();
            AtomicFiles.write(f, u + "\n");
            return u;
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }

    /** The cookie: a small XML document, NUL-terminated as QEMU's are. */
    private byte[] cookie(String name, String uuid) throws LibvirtException {
        return cookie(name, uuid, 0);
    }

    /** resumedAt: when Finish ran the guest here (epoch ms), for the source's downtime; 0: not said. */
    private byte[] cookie(String name, String uuid, long resumedAt) throws LibvirtException {
        String xml = "<jvirt-migration>\n  <name>" + name + "</name>\n  <uuid>" + uuid + "</uuid>\n  <hostname>" + HostInfo.hostname()
                + "</hostname>\n  <hostuuid>" + hostUuid() + "</hostuuid>\n"
                + (resumedAt > 0 ? "  <resumed>" + resumedAt + "</resumed>\n" : "") + "</jvirt-migration>\n\0";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    static String cookieField(byte[] cookie, String field) {
        if (cookie == null) return null;
        Matcher m = COOKIE.matcher(new String(cookie, StandardCharsets.UTF_8));
        while (m.find()) if (m.group(1).equals(field)) return m.group(2);
        return null;
    }

    static String param(List<TypedParameter> params, String field) {
        for (TypedParameter p : params) if (p.field().equals(field) && p.value() != null) return p.value().toString();
        return null;
    }

    /** libvirt's checks of an offline migration (qemuMigrationSrcBeginPhase, qemuMigrationDstPrepareAny). */
    static void checkOffline(int flags) throws LibvirtException {
        if ((flags & OFFLINE) == 0) return;
        if ((flags & (NON_SHARED_DISK | NON_SHARED_INC)) != 0) throw invalidOperation("offline migration cannot handle non-shared storage");
        if ((flags & PERSIST_DEST) == 0) throw invalidOperation("offline migration must be specified with the persistent flag set");
        if ((flags & TUNNELLED) != 0) throw invalidOperation("tunnelled offline migration does not make sense");
    }

    private static LibvirtException invalidOperation(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_QEMU, message);
    }

    /** Begin: an offline migration takes an inactive domain too (its config is all that moves). */
    MigrationPhase.Begin begin(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        StoredDomain o = store.obj(d);
        if ((flags & OFFLINE) == 0) DomainStore.requireActive(o);
        checkOffline(flags);
        String xml = param(params, "destination_xml");
        if (xml == null) xml = o.persistent() && o.config() != null ? o.config().format(-1) : o.status().liveXml().replaceFirst(" id='\\d+'", "");
        return new MigrationPhase.Begin(cookie(o.name(), o.uuid()), xml);
    }

    void requireActive(DomainRef d) throws LibvirtException {
        DomainStore.requireActive(store.obj(d));
    }

    String name(DomainRef d) throws LibvirtException {
        return store.obj(d).name();
    }

    /** Whether the domain is paused (a peer-to-peer migration then leaves it paused on the destination too). */
    boolean paused(DomainRef d) throws LibvirtException {
        StoredDomain o = store.obj(d);
        return o.active() && "paused".equals(o.status().state());
    }

    MigrationPhase.Prepared prepare(List<TypedParameter> params, byte[] cookieIn, int flags) throws LibvirtException {
        String address = param(params, "listen_address");
        if (address == null) address = listen.address() != null ? listen.address() : "0.0.0.0";
        for (int attempt = 1; ; attempt++) {
            try {
                return prepare(params, cookieIn, flags, address, freePort(address));
            } catch (LibvirtException e) {
                // the port was free when looked at and taken before the VMM bound it (another host's
                // migration on this machine): the next free one, as libvirt's port allocator would give
                if (attempt >= PORT_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("Address already in use")) throw e;
            }
        }
    }

    /** How many ports Prepare tries when the one it found free is taken before its VMM listens. */
    static final int PORT_ATTEMPTS = 5;

    /** Whether the domain name runs (an incoming VMM that gave up does not). */
    boolean activeNow(String name) {
        try {
            StoredDomain o = store.load(name);
            return o != null && o.active();
        } catch (LibvirtException e) {
            return false;
        }
    }

    /** Removes what a failed Prepare started. */
    void stopIncoming(String name) throws LibvirtException {
        StoredDomain o = store.load(name);
        if (o != null && o.active()) lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FAILED);
    }

    /** The XML with the name the destination gives the domain (--dname), when it gives one. */
    private String renamed(String xml, String dname) throws LibvirtException {
        if (xml == null || dname == null) return xml;
        org.jvirt.driver.def.DomainDefinition def = lifecycle.parseDefinition(xml);
        if (dname.equals(def.name())) return xml;
        def.setName(dname);
        return def.format(-1);
    }

    /** Prepare with the incoming VMM listening at listen:port. */
    MigrationPhase.Prepared prepare(List<TypedParameter> params, byte[] cookieIn, int flags, String address, int port) throws LibvirtException {
        checkOffline(flags);
        String from = cookieField(cookieIn, "hostuuid");
        if (from != null && from.equals(hostUuid())) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, "Attempt to migrate guest to the same host " + from);
        }
        String xml = renamed(param(params, "destination_xml"), param(params, "destination_name"));
        if (xml == null) throw invalid("no domain XML passed");
        // migration_host names this host to the source; a tunnel's loopback listener is its own
        String host = listen.host() != null && !address.startsWith("127.") ? listen.host()
                : address.equals("0.0.0.0") || address.equals("::") ? HostInfo.hostname() : address;
        String uri = "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        if ((flags & OFFLINE) != 0) {
            // nothing runs here: Finish defines the domain (qemuMigrationDstPrepareAny's offline case); the URI
            // is answered all the same, as libvirt's is (its client wants one before it skips Perform)
            org.jvirt.driver.def.DomainDefinition def = lifecycle.parseDefinition(xml);
            StoredDomain existing = store.load(def.name());
            if (existing != null && existing.active()) throw invalidOperation("domain '" + def.name() + "' is already active");
            return new MigrationPhase.Prepared(cookie(def.name(), def.uuid()), uri);
        }
        DomainRef ref = lifecycle.prepareIncoming(xml, "tcp:" + address + ":" + port);
        return new MigrationPhase.Prepared(cookie(ref.name(), ref.uuid()), uri);
    }

    /** The first port of the migration range (migration_port_min..max) nothing listens on. */
    private int freePort(String address) throws LibvirtException {
        for (int p = listen.portMin(); p <= listen.portMax(); p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(address), p));
                return p;
            } catch (IOException e) {
                // taken: the next one
            }
        }
        throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                "Unable to find an unused port in range 'migration' (" + listen.portMin() + "-" + listen.portMax() + ")");
    }

    /**
     * Perform: peer-to-peer, this host drives the whole migration (PeerMigration); otherwise the
     * VMM sends the guest to the URI the destination's Prepare gave.
     */
    byte[] perform(DomainRef d, String dconnuri, List<TypedParameter> params, byte[] cookieIn, int flags) throws LibvirtException {
        if ((flags & PEER2PEER) != 0) return new PeerMigration(this).perform(d, dconnuri, params, flags);
        if ((flags & TUNNELLED) != 0) {
            throw LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                    "use of VIR_MIGRATE_TUNNELLED requires use of VIR_MIGRATE_PEER2PEER in virDomainMigratePerform3Params");
        }
        String uri = param(params, "migrate_uri");
        if (uri == null) throw invalid("no migration URI: the destination gave none");
        return performTo(d, uri, params, flags);
    }

    /** The VMM sends the guest to uri; the source is left paused until Confirm. */
    byte[] performTo(DomainRef d, String uri, List<TypedParameter> params, int flags) throws LibvirtException {
        StoredDomain o = DomainStore.requireActive(store.obj(d));
        MigrationSettings settings = settings(o.name());
        String bw = param(params, "bandwidth"); // MiB/s, else the domain's migrate-setspeed
        long mib = bw != null ? Long.parseLong(bw) : settings.speedMib();
        long bandwidth = mib >= MigrationSettings.UNLIMITED_MIB || mib <= 0 ? 0 : mib << 20;
        MigrationStats stats;
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), MIGRATE_WAIT)) {
            stats = c.call(MigrationOptions.command(uri, settings.downtimeMs(), bandwidth, params, flags));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "migration out job: " + e.getMessage());
        }
        try {
            settings.lastMigration(stats, o.liveDef().memoryKiB() * 1024).save();
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
        lifecycle.migrationState(o.name(), false); // paused here until Confirm
        return cookie(o.name(), o.uuid());
    }

    private MigrationSettings settings(String name) throws LibvirtException {
        try {
            return MigrationSettings.of(paths, name);
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }

    void setMaxDowntime(DomainRef d, long ms, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, 0, "qemuDomainMigrateSetMaxDowntime");
        StoredDomain o = DomainStore.requireActive(store.obj(d));
        try {
            settings(o.name()).downtime(ms).save();
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }

    long getMaxDowntime(DomainRef d, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, 0, "qemuDomainMigrateGetMaxDowntime");
        return settings(DomainStore.requireActive(store.obj(d)).name()).downtimeMs();
    }

    void setMaxSpeed(DomainRef d, long mib, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, 0, "qemuDomainMigrateSetMaxSpeed");
        if (mib > MigrationSettings.UNLIMITED_MIB) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OVERFLOW, ErrorDomain.VIR_FROM_QEMU,
                    "bandwidth must be less than " + (MigrationSettings.UNLIMITED_MIB + 1));
        }
        try {
            settings(store.obj(d).name()).speed(mib).save();
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }

    long getMaxSpeed(DomainRef d, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, 0, "qemuDomainMigrateGetMaxSpeed");
        return settings(store.obj(d).name()).speedMib();
    }

    MigrationPhase.Finished finish(List<TypedParameter> params, byte[] cookieIn, int flags, boolean cancelled) throws LibvirtException {
        String name = param(params, "destination_name");
        if (name == null) name = cookieField(cookieIn, "name");
        StoredDomain o = name == null ? null : store.load(name);
        if ((flags & OFFLINE) != 0) return finishOffline(params, name, cancelled);
        if (cancelled) {
            // an incoming VMM that already gave up (its tunnel aborted) has nothing left to remove
            if (o != null && o.active()) lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FAILED);
            throw finishedCancelled();
        }
        if (o == null || !o.active()) throw JvirtErrors.noDomain("no domain with matching name '" + name + "'");
        RunState state = awaitIncoming(o);
        if (state != RunState.RUNNING && state != RunState.PAUSED && state != RunState.PRELAUNCH) {
            lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FAILED);
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "domain '" + name + "' did not receive the migration (" + state + ")");
        }
        long resumedAt = 0;
        if ((flags & PAUSED) != 0) {
            lifecycle.suspend(o.ref()); // --suspend: left paused, as libvirt leaves it (paused, user)
        } else if (state != RunState.RUNNING) {
            // held until now (the VMM's --paused, libvirt's -S), or paused on the source at the end
            // (virsh's --timeout suspends it there): it runs here, as libvirt's Finish starts the CPUs
            resumedAt = lifecycle.runIncoming(name);
        } else {
            lifecycle.migrationState(name, true);
        }
        if ((flags & PERSIST_DEST) != 0) {
            String xml = renamed(param(params, "persistent_xml"), name);
            lifecycle.defineXML(xml != null ? xml : o.status().liveXml().replaceFirst(" id='\\d+'", ""), 0);
        }
        StoredDomain now = store.load(name);
        return new MigrationPhase.Finished(now.ref(), cookie(now.name(), now.uuid(), resumedAt));
    }

    /** Finish's error once it removed what a cancelled migration left here: libvirt's "nothing wrong on this side". */
    private static LibvirtException finishedCancelled() {
        return new LibvirtException(ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK, ErrorDomain.VIR_FROM_QEMU, null);
    }

    /** Offline: the domain's config is defined here (the persistent XML if given, else the source's). */
    private MigrationPhase.Finished finishOffline(List<TypedParameter> params, String name, boolean cancelled) throws LibvirtException {
        if (cancelled) throw finishedCancelled();
        String xml = param(params, "persistent_xml");
        if (xml == null) xml = param(params, "destination_xml");
        if (xml == null) throw invalid("no domain XML passed");
        DomainRef ref = lifecycle.defineXML(renamed(xml, name), 0);
        StoredDomain now = store.obj(ref);
        return new MigrationPhase.Finished(now.ref(), cookie(now.name(), now.uuid()));
    }

    /** Polls the incoming VMM until it has taken the migration (or is gone). */
    private static RunState awaitIncoming(StoredDomain o) {
        long end = System.nanoTime() + FINISH_WAIT.toNanos();
        while (System.nanoTime() < end) {
            try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), Duration.ofSeconds(5))) {
                RunState s = c.call(new Command.QueryStatus()).status();
                if (s != RunState.INMIGRATE) return s;
            } catch (IOException e) {
                return RunState.SHUTDOWN;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RunState.SHUTDOWN;
            }
        }
        return RunState.INMIGRATE;
    }

    /**
     * Confirm: the source ends (or, cancelled, runs on: a failed Perform has already resumed it);
     * after an offline migration only --undefinesource has something to do.
     */
    void confirm(DomainRef d, List<TypedParameter> params, byte[] cookieIn, int flags, boolean cancelled) throws LibvirtException {
        if ((flags & OFFLINE) != 0) {
            StoredDomain o = store.obj(d);
            if (!cancelled && (flags & UNDEFINE_SOURCE) != 0 && o.persistent()) lifecycle.undefine(o.ref(), 0);
            return;
        }
        StoredDomain o = DomainStore.requireActive(store.obj(d));
        if (cancelled) {
            if ("paused".equals(o.status().state()) && o.status().reason() == org.jvirt.driver.api.DomainStateReason.PausedReason.MIGRATION.ordinal()) {
                lifecycle.resume(o.ref());
            }
            return;
        }
        String resumed = cookieField(cookieIn, "resumed");
        if (resumed != null) {
            try {
                settings(o.name()).destinationResumed(Long.parseLong(resumed)).save();
            } catch (NumberFormatException | IOException e) {
                // a figure we cannot read leaves the VMM's own downtime
            }
        }
        lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.MIGRATED);
        if ((flags & UNDEFINE_SOURCE) != 0 && o.persistent()) lifecycle.undefine(o.ref(), 0);
    }
}
