package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.DomainMigration.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.DriverRegistry;
import org.jvirt.driver.spi.MigrationPhase;
import org.jvirt.rpc.Features;

/**
 * Peer-to-peer migration (virsh migrate --p2p): the client's one Perform call on the source,
 * which then acts as a client of the destination itself, as libvirt's qemuMigrationSrcPerformPeer2Peer
 * and qemuMigrationSrcPerformPeer2Peer3 do: it opens dconnuri, checks the destination's
 * features, runs Begin here, Prepare there (tunnelled: with the stream), Perform here, Finish
 * there (cancelled when Perform failed) and Confirm here (cancelled when Finish failed), and
 * reports the first error that matters, with libvirt's words.
 */
final class PeerMigration {
    /** libvirt's qemu.conf keepalive for the connection to the destination. */
    static final int KEEPALIVE_INTERVAL = 5, KEEPALIVE_COUNT = 5;

    private final DomainMigration local;

    PeerMigration(DomainMigration local) {
        this.local = local;
    }

    private static LibvirtException unsupported(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, message);
    }

    private static LibvirtException failed(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU, message);
    }

    /** Returns the (empty) cookie of a peer-to-peer Perform once the domain runs on the destination. */
    byte[] perform(DomainRef d, String dconnuri, List<TypedParameter> params, int flags) throws LibvirtException {
        boolean offline = (flags & OFFLINE) != 0;
        if (!offline) local.requireActive(d);
        boolean tunnelled = (flags & TUNNELLED) != 0;
        if (tunnelled && param(params, "migrate_uri") != null) throw unsupported("migration URI is not supported by tunnelled migration");
        if (tunnelled && param(params, "listen_address") != null) throw unsupported("listen address is not supported by tunnelled migration");
        if (dconnuri == null) {
            throw LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN,
                    "dconnuri in virDomainMigratePerform3Params must not be NULL");
        }
        // the destination is set up completely before the source is touched; its errors are passed on as they are
        DriverConnection dconn = DriverRegistry.open(dconnuri, false);
        try {
            dconn.setKeepAlive(KEEPALIVE_INTERVAL, KEEPALIVE_COUNT);
            if (!dconn.supportsFeature(Features.MIGRATION_P2P)) throw failed("Destination libvirt does not support peer-to-peer migration protocol");
            if (!dconn.supportsFeature(Features.MIGRATION_V3) || !dconn.supportsFeature(Features.MIGRATION_PARAMS)) {
                throw unsupported("Migration APIs with extensible parameters are not supported by the destination host");
            }
            if (offline && !dconn.supportsFeature(Features.MIGRATION_OFFLINE)) throw unsupported("offline migration is not supported by the destination host");
            // a single job here: change protection is implied, and older destinations would reject the flag
            return run(dconn, d, params, flags & ~CHANGE_PROTECTION);
        } finally {
            try {
                dconn.close();
            } catch (LibvirtException ignored) {
                // the destination went away: nothing left to close
            }
        }
    }

    private byte[] run(DriverConnection dconn, DomainRef d, List<TypedParameter> userParams, int flags) throws LibvirtException {
        boolean offline = (flags & OFFLINE) != 0;
        boolean tunnelled = (flags & TUNNELLED) != 0;
        MigrationPhase.Begin begin = local.begin(d, userParams, flags);
        List<TypedParameter> params = replaced(userParams, "destination_xml", begin.xml());
        if (!offline && local.paused(d)) flags |= PAUSED;
        int destFlags = flags & ~(ABORT_ON_ERROR | AUTO_CONVERGE);

        byte[] cookie;
        MigrationPhase.PreparedTunnel tunnel = null;
        if (tunnelled) {
            tunnel = dconn.migratePrepareTunnel3(params, begin.cookie(), destFlags);
            cookie = tunnel.cookie();
        } else {
            MigrationPhase.Prepared prepared = dconn.migratePrepare3(params, begin.cookie(), destFlags);
            cookie = prepared.cookie();
            if (prepared.uri() != null) params = replaced(params, "migrate_uri", prepared.uri());
        }

        LibvirtException first = null;
        boolean cancelled = true;
        if (offline) {
            cookie = null; // nothing is performed
            cancelled = false;
        } else if (!tunnelled && param(params, "migrate_uri") == null) {
            first = new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, "domainMigratePrepare3 did not set uri");
        } else {
            try {
                cookie = tunnelled ? new TunnelledMigration(local).perform(d, tunnel.tunnel(), params, flags)
                        : local.perform(d, null, params, cookie, flags & ~PEER2PEER);
                cancelled = false;
            } catch (LibvirtException e) {
                // a destination that went away explains the failure better than what the VMM saw
                first = dconn.isAlive() ? e : failed("Lost connection to destination host");
            }
        }

        if (param(params, "destination_name") == null) params = replaced(params, "destination_name", local.name(d));
        MigrationPhase.Finished finished = null;
        LibvirtException finishError = null;
        try {
            finished = dconn.migrateFinish3(params, cookie, destFlags, cancelled);
        } catch (LibvirtException e) {
            finishError = e;
        }
        if (cancelled && finished == null && first != null && finishError != null && first.getError().getDomain() == ErrorDomain.VIR_FROM_QEMU
                && first.getError().getCode() == ErrorNumber.VIR_ERR_OPERATION_FAILED
                && finishError.getError().getDomain() == ErrorDomain.VIR_FROM_QEMU
                && finishError.getError().getCode() != ErrorNumber.VIR_ERR_MIGRATE_FINISH_OK) {
            first = finishError; // the destination's own failure (its VMM died) says more than "failed"
        }
        if (first == null) first = finishError;

        try {
            local.confirm(d, params, finished != null ? finished.cookie() : null, flags, finished == null);
        } catch (LibvirtException e) {
            // libvirt only warns: the guest is probably left paused on the source
            System.err.println("jvirt: warning: Guest " + local.name(d) + " probably left in 'paused' state on source: " + e.getMessage());
        }
        if (finished == null) throw first != null ? first : failed("migration did not finish on the destination");
        return new byte[0];
    }

    /** params with field set to value (the first occurrence replaced, else added), as virTypedParamsReplaceString. */
    static List<TypedParameter> replaced(List<TypedParameter> params, String field, String value) {
        List<TypedParameter> out = new ArrayList<>(params.size() + 1);
        boolean done = false;
        for (TypedParameter p : params) {
            if (p.field().equals(field)) {
                if (done) continue;
                out.add(TypedParameter.string(field, value));
                done = true;
            } else {
                out.add(p);
            }
        }
        if (!done) out.add(TypedParameter.string(field, value));
        return out;
    }
}
