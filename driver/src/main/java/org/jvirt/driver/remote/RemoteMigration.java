package org.jvirt.driver.remote;

import static org.jvirt.driver.remote.WireTypes.args;
import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.MigrationPhase;
import org.jvirt.rpc.Features;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.WireTypedParam;
import org.jvirt.rpc.XdrWriter;

/**
 * A remote connection's migration calls as libvirt's remote driver sends them (spec §7): the five
 * phases of v3 with parameters, the tunnelled Prepare with its stream (§7.3), the migration
 * settings and virDomainAbortJob, each one RPC whose arguments and replies are
 * remote_protocol.x's. Cookies pass through untouched.
 */
final class RemoteMigration {
    private final RpcClient rpc;

    RemoteMigration(RpcClient rpc) {
        this.rpc = rpc;
    }

    /** VIR_DRV_SUPPORTS_FEATURE(MIGRATION_V3) and (MIGRATION_PARAMS), asked of the daemon as libvirt asks. */
    boolean supported() {
        return supports(Features.MIGRATION_V3) && supports(Features.MIGRATION_PARAMS);
    }

    /** One feature, asked of the daemon (libvirt's remote driver asks each time); false when the daemon cannot tell. */
    boolean supports(int feature) {
        try {
            return supportsFeature(feature);
        } catch (LibvirtException e) {
            return false;
        }
    }

    private static XdrWriter withParams(XdrWriter w, List<TypedParameter> params) {
        List<WireTypedParam> wire = new ArrayList<>(params.size());
        for (TypedParameter p : params) wire.add(WireTypes.wire(p));
        WireTypedParam.encodeList(w, wire);
        return w;
    }

    private static byte[] orEmpty(byte[] cookie) {
        return cookie == null ? new byte[0] : cookie;
    }

    void setMaxDowntime(DomainRef d, long ms, int flags) throws LibvirtException {
        rpc.call(DOMAIN_MIGRATE_SET_MAX_DOWNTIME, args(d).writeHyper(ms).writeInt(flags), ReplyDecoder.NONE);
    }

    long getMaxDowntime(DomainRef d, int flags) throws LibvirtException {
        return rpc.call(DOMAIN_MIGRATE_GET_MAX_DOWNTIME, args(d).writeInt(flags), r -> r.readHyper());
    }

    void setMaxSpeed(DomainRef d, long mib, int flags) throws LibvirtException {
        rpc.call(DOMAIN_MIGRATE_SET_MAX_SPEED, args(d).writeHyper(mib).writeInt(flags), ReplyDecoder.NONE);
    }

    long getMaxSpeed(DomainRef d, int flags) throws LibvirtException {
        return rpc.call(DOMAIN_MIGRATE_GET_MAX_SPEED, args(d).writeInt(flags), r -> r.readHyper());
    }

    /** virDomainAbortJob without flags (what virsh's domjobabort sends), virDomainAbortJobFlags with. */
    void abortJob(DomainRef d, int flags) throws LibvirtException {
        if (flags == 0) rpc.call(DOMAIN_ABORT_JOB, args(d), ReplyDecoder.NONE);
        else rpc.call(DOMAIN_ABORT_JOB_FLAGS, args(d).writeInt(flags), ReplyDecoder.NONE);
    }

    boolean supportsFeature(int feature) throws LibvirtException {
        return Handshake.supports(rpc, feature);
    }

    MigrationPhase.Begin begin(DomainRef d, List<TypedParameter> params, int flags) throws LibvirtException {
        return rpc.call(DOMAIN_MIGRATE_BEGIN3_PARAMS, withParams(args(d), params).writeInt(flags),
                r -> new MigrationPhase.Begin(r.readOpaque(Limits.COOKIE_MAX, "cookie_out"), r.readString("xml")));
    }

    MigrationPhase.Prepared prepare(List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        XdrWriter w = withParams(new XdrWriter(), params).writeOpaque(orEmpty(cookie)).writeInt(flags);
        return rpc.call(DOMAIN_MIGRATE_PREPARE3_PARAMS, w,
                r -> new MigrationPhase.Prepared(r.readOpaque(Limits.COOKIE_MAX, "cookie_out"), r.readOptionalString("uri_out")));
    }

    /** The stream is bound to the call before it goes out, so that nothing the daemon sends on it is missed. */
    MigrationPhase.PreparedTunnel prepareTunnel(List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        XdrWriter w = withParams(new XdrWriter(), params).writeOpaque(orEmpty(cookie)).writeInt(flags);
        RemoteStream stream = new RemoteStream(rpc, DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS);
        RpcClient.StreamCall<byte[]> call = rpc.callWithStream(DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS, w, stream,
                r -> r.readOpaque(Limits.COOKIE_MAX, "cookie_out"));
        stream.opened(call.serial());
        return new MigrationPhase.PreparedTunnel(call.value(), stream);
    }

    byte[] perform(DomainRef d, String dconnuri, List<TypedParameter> params, byte[] cookie, int flags) throws LibvirtException {
        XdrWriter w = withParams(args(d).writeOptionalString(dconnuri), params).writeOpaque(orEmpty(cookie)).writeInt(flags);
        return rpc.call(DOMAIN_MIGRATE_PERFORM3_PARAMS, w, r -> r.readOpaque(Limits.COOKIE_MAX, "cookie_out"));
    }

    MigrationPhase.Finished finish(List<TypedParameter> params, byte[] cookie, int flags, boolean cancelled) throws LibvirtException {
        XdrWriter w = withParams(new XdrWriter(), params).writeOpaque(orEmpty(cookie)).writeInt(flags).writeInt(cancelled ? 1 : 0);
        return rpc.call(DOMAIN_MIGRATE_FINISH3_PARAMS, w,
                r -> new MigrationPhase.Finished(WireTypes.readDomain(r), r.readOpaque(Limits.COOKIE_MAX, "cookie_out")));
    }

    void confirm(DomainRef d, List<TypedParameter> params, byte[] cookie, int flags, boolean cancelled) throws LibvirtException {
        XdrWriter w = withParams(args(d), params).writeOpaque(orEmpty(cookie)).writeInt(flags).writeInt(cancelled ? 1 : 0);
        rpc.call(DOMAIN_MIGRATE_CONFIRM3_PARAMS, w, ReplyDecoder.NONE);
    }
}
