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
 * the same host is refused as libvirt refuses it).
 */
final class DomainMigration {
    /** VIR_MIGRATE_* flags used here. */
    static final int LIVE = 1, PEER2PEER = 2, TUNNELLED = 4, PERSIST_DEST = 8, UNDEFINE_SOURCE = 16, PAUSED = 32, OFFLINE = 1024;
    static final Duration FINISH_WAIT = Duration.ofSeconds(60);
    /**
     * How long Perform waits for the VMM's answer: a migration takes as long as RAM over bandwidth
     * (minutes at migrate-setspeed's low values) and ends on its own (done, the stream stalled
     * for MigrationStream.STALL_TIMEOUT_MS, domjobabort, the VMM gone), so this is only a backstop.
     */
    static final Duration MIGRATE_WAIT = Duration.ofHours(24);
    private static final Pattern COOKIE = Pattern.compile("<(name|uuid|hostname|hostuuid)>([^<]*)</\\1>");

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
        String xml = "<jvirt-migration>\n  <name>" + name + "</name>\n  <uuid>" + uuid + "</uuid>\n  <hostname>" + HostInfo.hostname()
                + "</hostname>\n  <hostuuid>" + hostUuid() + "</hostuuid>\n</jvirt-migration>\n\0";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static String cookieField(byte[] cookie, String field) {
        if (cookie == null) return null;
        Matcher m = COOKIE.matcher(new String(cookie, StandardCharsets.UTF_8));
        while (m.find()) if (m.group(1).equals(field)) return m.group(2);
        return null;
    }

    private static String param(List<TypedParameter> params, String field) {
        for (TypedParameter p : params) if (p.field().equals(field) && p.value() != null) return p.value().toString();
        return null;
    }

    private static void unsupportedFlags(int flags) throws LibvirtException {
        if ((flags & PEER2PEER) != 0 || (flags & TUNNELLED) != 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "peer-to-peer and tunnelled migration are not supported by jvirt yet");
        }
        if ((flags & OFFLINE) != 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "offline migration is not supported by jvirt yet");
        }
    }

    MigrationPhase.Begin begin(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        unsupportedFlags(flags);
        StoredDomain o = DomainStore.requireActive(store.obj(d));
        String xml = param(params, "destination_xml");
        if (xml == null) xml = o.persistent() && o.config() != null ? o.config().format(-1) : o.status().liveXml().replaceFirst(" id='\\d+'", "");
        return new MigrationPhase.Begin(cookie(o.name(), o.uuid()), xml);
    }

    MigrationPhase.Prepared prepare(List<TypedParameter> params, byte[] cookieIn, int flags) throws LibvirtException {
        unsupportedFlags(flags);
        String from = cookieField(cookieIn, "hostuuid");
        if (from != null && from.equals(hostUuid())) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, "Attempt to migrate guest to the same host " + from);
        }
        String xml = param(params, "destination_xml");
        if (xml == null) throw invalid("no domain XML passed");
        String address = param(params, "listen_address");
        if (address == null) address = listen.address() != null ? listen.address() : "0.0.0.0";
        int port = freePort(address);
        DomainRef ref = lifecycle.prepareIncoming(xml, "tcp:" + address + ":" + port);
        String host = listen.host() != null ? listen.host()
                : address.equals("0.0.0.0") || address.equals("::") ? HostInfo.hostname() : address;
        return new MigrationPhase.Prepared(cookie(ref.name(), ref.uuid()), "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
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

    byte[] perform(DomainRef d, String dconnuri, List<TypedParameter> params, byte[] cookieIn, int flags) throws LibvirtException {
        unsupportedFlags(flags);
        if (dconnuri != null) unsupportedFlags(PEER2PEER);
        StoredDomain o = DomainStore.requireActive(store.obj(d));
        String uri = param(params, "migrate_uri");
        if (uri == null) throw invalid("no migration URI: the destination gave none");
        MigrationSettings settings = settings(o.name());
        String bw = param(params, "bandwidth"); // MiB/s, else the domain's migrate-setspeed
        long mib = bw != null ? Long.parseLong(bw) : settings.speedMib();
        long bandwidth = mib >= MigrationSettings.UNLIMITED_MIB || mib <= 0 ? 0 : mib << 20;
        MigrationStats stats;
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), MIGRATE_WAIT)) {
            stats = c.call(new Command.JvirtMigrate(uri, settings.downtimeMs(), bandwidth));
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
        if (o == null || !o.active()) throw JvirtErrors.noDomain("no domain with matching name '" + name + "'");
        if (cancelled) {
            lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FAILED);
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU, "migration was cancelled");
        }
        RunState state = awaitIncoming(o);
        if (state != RunState.RUNNING && state != RunState.PAUSED) {
            lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.FAILED);
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "domain '" + name + "' did not receive the migration (" + state + ")");
        }
        lifecycle.migrationState(name, state == RunState.RUNNING);
        if ((flags & PERSIST_DEST) != 0) {
            String xml = param(params, "persistent_xml");
            lifecycle.defineXML(xml != null ? xml : o.status().liveXml().replaceFirst(" id='\\d+'", ""), 0);
        }
        StoredDomain now = store.load(name);
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

    void confirm(DomainRef d, List<TypedParameter> params, byte[] cookieIn, int flags, boolean cancelled) throws LibvirtException {
        StoredDomain o = DomainStore.requireActive(store.obj(d));
        if (cancelled) {
            lifecycle.resume(o.ref());
            return;
        }
        lifecycle.stop(o.ref(), org.jvirt.driver.api.DomainStateReason.ShutoffReason.MIGRATED);
        if ((flags & UNDEFINE_SOURCE) != 0 && o.persistent()) lifecycle.undefine(o.ref(), 0);
    }
}
