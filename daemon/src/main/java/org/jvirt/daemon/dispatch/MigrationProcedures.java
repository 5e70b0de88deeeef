package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.spi.MigrationPhase;
import org.jvirt.driver.spi.MigrationTunnel;
import org.jvirt.rpc.Limits;

/**
 * Migration v3 with parameters (spec §7): the five phases, each handed to the driver as
 * libvirtd hands them to its qemu driver, and the tunnelled Prepare, whose stream the driver's
 * tunnel end is bridged to. Cookies pass through untouched.
 */
final class MigrationProcedures {
    private MigrationProcedures() { }

    static void register(ProcedureTable t) {
        t.add(DOMAIN_MIGRATE_SET_MAX_DOWNTIME, "virDomainMigrateSetMaxDowntime", Access.WRITE, c -> {
            Domain d = c.domain();
            long ms = c.args.readHyper();
            d.migrateSetMaxDowntime(ms, c.readInt());
        });
        t.add(DOMAIN_MIGRATE_GET_MAX_DOWNTIME, "virDomainMigrateGetMaxDowntime", Access.READ, c -> {
            Domain d = c.domain();
            c.ret.writeHyper(d.migrateGetMaxDowntime(c.readInt()));
        });
        t.add(DOMAIN_MIGRATE_SET_MAX_SPEED, "virDomainMigrateSetMaxSpeed", Access.WRITE, c -> {
            Domain d = c.domain();
            long bw = c.args.readHyper();
            d.migrateSetMaxSpeed(bw, c.readInt());
        });
        t.add(DOMAIN_MIGRATE_GET_MAX_SPEED, "virDomainMigrateGetMaxSpeed", Access.READ, c -> {
            Domain d = c.domain();
            c.ret.writeHyper(d.migrateGetMaxSpeed(c.readInt()));
        });
        t.add(DOMAIN_MIGRATE_BEGIN3_PARAMS, "virDomainMigrateBegin3Params", Access.WRITE, c -> {
            Domain d = c.domain();
            List<TypedParameter> params = params(c);
            MigrationPhase.Begin b = c.conn().migrateBegin3Params(d, params, c.readInt());
            c.ret.writeOpaque(b.cookie()).writeString(b.xml());
        });
        t.add(DOMAIN_MIGRATE_PREPARE3_PARAMS, "virDomainMigratePrepare3Params", Access.WRITE, c -> {
            List<TypedParameter> params = params(c);
            byte[] cookie = c.args.readOpaque(Limits.COOKIE_MAX, "cookie_in");
            MigrationPhase.Prepared p = c.conn().migratePrepare3Params(params, cookie, c.readInt());
            c.ret.writeOpaque(p.cookie()).writeOptionalString(p.uri());
        });
        t.add(DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS, "virDomainMigratePrepareTunnel3Params", Access.WRITE, c -> {
            List<TypedParameter> params = params(c);
            byte[] cookie = c.args.readOpaque(Limits.COOKIE_MAX, "cookie_in");
            MigrationPhase.PreparedTunnel p = c.conn().migratePrepareTunnel3Params(params, cookie, c.readInt());
            c.ret.writeOpaque(p.cookie());
            MigrationTunnel tunnel = p.tunnel();
            // the source's stream carries the migration into the waiting VMM; the VMM's answer goes back on it
            StreamBridge.open(c, tunnel.input(), tunnel.output(), "migration tunnel", new StreamBridge.Ends() {
                @Override public void finish() throws Exception { tunnel.finish(); }

                @Override public void abort() { tunnel.abort(); }
            }, "jvirtd-migration-tunnel");
        });
        t.add(DOMAIN_MIGRATE_PERFORM3_PARAMS, "virDomainMigratePerform3Params", Access.WRITE, c -> {
            Domain d = c.domain();
            String dconnuri = c.readOptionalString("dconnuri");
            List<TypedParameter> params = params(c);
            byte[] cookie = c.args.readOpaque(Limits.COOKIE_MAX, "cookie_in");
            c.ret.writeOpaque(c.conn().migratePerform3Params(d, dconnuri, params, cookie, c.readInt()));
        });
        t.add(DOMAIN_MIGRATE_FINISH3_PARAMS, "virDomainMigrateFinish3Params", Access.WRITE, c -> {
            List<TypedParameter> params = params(c);
            byte[] cookie = c.args.readOpaque(Limits.COOKIE_MAX, "cookie_in");
            int flags = c.readInt();
            MigrationPhase.Finished f = c.conn().migrateFinish3Params(params, cookie, flags, c.readInt() != 0);
            Call.toWire(f.domain()).encode(c.ret);
            c.ret.writeOpaque(f.cookie());
        });
        t.add(DOMAIN_MIGRATE_CONFIRM3_PARAMS, "virDomainMigrateConfirm3Params", Access.WRITE, c -> {
            Domain d = c.domain();
            List<TypedParameter> params = params(c);
            byte[] cookie = c.args.readOpaque(Limits.COOKIE_MAX, "cookie_in");
            int flags = c.readInt();
            c.conn().migrateConfirm3Params(d, params, cookie, flags, c.readInt() != 0);
        });
    }

    private static List<TypedParameter> params(Call c) throws org.jvirt.rpc.XdrException {
        return List.of(DomainInfoProcedures.readParams(c, Limits.TYPED_PARAMS_MAX));
    }
}
