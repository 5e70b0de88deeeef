package org.jvirt.virsh.commands;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.virsh.shell.Catalogue;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.Vsh;

/**
 * virsh 9.0's migration commands (virsh-domain.c): migrate (cmdMigrate and doMigrate: the
 * options as VIR_MIGRATE_* flags and VIR_MIGRATE_PARAM_* parameters, virDomainMigrate3 to a
 * connection opened on the destination URI, or virDomainMigrateToURI3 with --p2p/--direct,
 * watched as virshWatchJob watches it: --verbose progress, --timeout), domjobabort and the
 * migration settings (migrate-setmaxdowntime, -getmaxdowntime, -setspeed, -getspeed).
 */
final class MigrationCommands {
    private MigrationCommands() { }

    static List<CmdDef> all() {
        return List.of(Catalogue.command("migrate", MigrationCommands::migrate),
                Catalogue.command("domjobabort", MigrationCommands::domjobabort),
                Catalogue.command("migrate-setmaxdowntime", MigrationCommands::setMaxDowntime),
                Catalogue.command("migrate-getmaxdowntime", MigrationCommands::getMaxDowntime),
                Catalogue.command("migrate-setspeed", MigrationCommands::setSpeed),
                Catalogue.command("migrate-getspeed", MigrationCommands::getSpeed));
    }

    /** The boolean options of migrate and the virDomainMigrateFlags each sets, in doMigrate's order. */
    private static final String[] FLAG_OPTIONS = {"live", "p2p", "tunnelled", "persistent", "undefinesource", "suspend",
        "copy-storage-all", "copy-storage-inc", "change-protection", "unsafe", "compressed", "auto-converge", "rdma-pin-all",
        "offline", "abort-on-error", "postcopy", "zerocopy", "tls", "parallel", "copy-storage-synchronous-writes", "postcopy-resume"};
    private static final int[] FLAG_VALUES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 2048, 8192, 16384, 1024, 4096, 32768, 1 << 20,
        1 << 16, 1 << 17, 1 << 18, 1 << 19};

    /** String options and the VIR_MIGRATE_PARAM_* each fills. */
    private static final String[][] STRING_PARAMS = {{"migrateuri", "migrate_uri"}, {"graphicsuri", "graphics_uri"},
        {"listen-address", "listen_address"}, {"disks-uri", "disks_uri"}, {"dname", "destination_name"},
        {"tls-destination", "tls.destination"}};

    private static boolean migrate(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "live", "offline") || !Options.exclusive(vsh, cmd, "timeout-suspend", "timeout-postcopy")
                || !Options.requires(vsh, cmd, "postcopy-after-precopy", "postcopy")
                || !Options.requires(vsh, cmd, "timeout-postcopy", "postcopy")
                || !Options.requires(vsh, cmd, "persistent-xml", "persistent") || !Options.requires(vsh, cmd, "tls-destination", "tls")) {
            return false;
        }
        Domain dom = vsh.domain(cmd, "domain");
        boolean verbose = cmd.flag("verbose");
        boolean postcopyOnTimeout = cmd.flag("timeout-postcopy");
        long timeout;
        List<TypedParameter> params;
        String desturi;
        try {
            timeout = unsignedInt(vsh, cmd, "timeout");
            if (timeout > 0 && !cmd.flag("live")) {
                vsh.error("migrate: Unexpected timeout for offline migration");
                return false;
            }
            if (timeout == 0 && (cmd.flag("timeout-suspend") || postcopyOnTimeout)) {
                vsh.error("migrate: Unexpected --timeout-* option without --timeout");
                return false;
            }
            desturi = Options.string(vsh, cmd, "desturi");
            params = params(vsh, cmd);
        } catch (Options.Invalid e) {
            return false;
        }
        if (params == null) return false;
        int flags = 0;
        for (int i = 0; i < FLAG_OPTIONS.length; i++) if (cmd.flag(FLAG_OPTIONS[i])) flags |= FLAG_VALUES[i];
        boolean unmanaged = cmd.flag("p2p") || cmd.flag("direct");
        Connect dconn = null;
        if (!unmanaged) {
            dconn = new Connect(desturi, false); // virshConnect: its failure is reported as the library's error alone
        }
        TypedParameter[] p = params.toArray(new TypedParameter[0]);
        int f = flags;
        Connect dest = dconn;
        try {
            JobWatch.run(vsh, dom, "Migration", verbose, timeout, d -> onTimeout(d, postcopyOnTimeout), () -> {
                if (dest == null) dom.migrateToURI3(desturi, p, f);
                else dom.migrate(dest, p, f);
            });
        } finally {
            if (dconn != null) dconn.close();
        }
        return true;
    }

    /** virshMigrateTimeout: suspend the guest (the default) or switch to post-copy; a failure only shows in debug output. */
    private static void onTimeout(Domain d, boolean postcopy) {
        try {
            if (!postcopy) d.suspend();
        } catch (LibvirtException e) {
            // virsh: vshDebug "suspending domain failed"
        }
    }

    /** doMigrate's parameters; null after virsh's error. */
    private static List<TypedParameter> params(Vsh vsh, Cmd cmd) throws Options.Invalid, LibvirtException {
        List<TypedParameter> p = new ArrayList<>();
        for (String[] sp : STRING_PARAMS) {
            String v = Options.string(vsh, cmd, sp[0]);
            if (v != null) p.add(TypedParameter.string(sp[1], v));
        }
        int disksPort = Options.integer(vsh, cmd, "disks-port", 0);
        if (disksPort > 0) p.add(new TypedParameter("disks_port", TypedParameter.Type.INT, (long) disksPort));
        String disks = Options.string(vsh, cmd, "migrate-disks");
        if (disks != null) for (String disk : disks.split(",")) p.add(TypedParameter.string("migrate_disks", disk));
        if (!xmlParam(vsh, cmd, "xml", "destination_xml", p) || !xmlParam(vsh, cmd, "persistent-xml", "persistent_xml", p)) return null;
        Long bandwidth = unsigned(vsh, cmd, "bandwidth");
        if (bandwidth != null) p.add(TypedParameter.ullong("bandwidth", bandwidth));
        Long postcopyBandwidth = unsigned(vsh, cmd, "postcopy-bandwidth");
        if (postcopyBandwidth != null) p.add(TypedParameter.ullong("bandwidth.postcopy", postcopyBandwidth));
        return p;
    }

    /** --xml FILE / --persistent-xml FILE: the file's text, or virsh's two error lines. */
    private static boolean xmlParam(Vsh vsh, Cmd cmd, String option, String field, List<TypedParameter> p) throws Options.Invalid {
        String file = Options.string(vsh, cmd, option);
        if (file == null) return true;
        try {
            p.add(TypedParameter.string(field, DomainCommands.readFile(vsh, file)));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("cannot read file '" + file + "'", e);
        }
    }

    /** vshCommandOptUInt (virStrToLong_uip: no sign but '+', at most UINT_MAX): 0 when absent. */
    static long unsignedInt(Vsh vsh, Cmd cmd, String name) throws Options.Invalid {
        String v = cmd.get(name);
        if (v == null) return 0;
        String t = v.stripLeading();
        try {
            long n = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            if (t.startsWith("-") || n > 0xffffffffL) throw new NumberFormatException(v);
            return n;
        } catch (NumberFormatException e) {
            vsh.error("Numeric value '" + v + "' for <" + name + "> option is malformed or out of range");
            throw new Options.Invalid();
        }
    }

    /** vshCommandOptULongLong: null when absent (also vol-upload/vol-download's offset and length). */
    static Long unsigned(Vsh vsh, Cmd cmd, String name) throws Options.Invalid {
        String v = cmd.get(name);
        if (v == null) return null;
        try {
            return Long.parseUnsignedLong(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            vsh.error("Numeric value '" + v + "' for <" + name + "> option is malformed or out of range");
            throw new Options.Invalid();
        }
    }

    private static boolean domjobabort(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        d.abortJob(cmd.flag("postcopy") ? 1 : 0);
        return true;
    }

    private static boolean setMaxDowntime(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        Long downtime;
        try {
            downtime = unsigned(vsh, cmd, "downtime");
        } catch (Options.Invalid e) {
            return false;
        }
        if (downtime == null || downtime < 1) {
            vsh.error("migrate: Invalid downtime");
            return false;
        }
        d.migrateSetMaxDowntime(downtime, 0);
        return true;
    }

    private static boolean getMaxDowntime(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        vsh.print(Long.toUnsignedString(d.migrateGetMaxDowntime(0)) + "\n");
        return true;
    }

    /** VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY. */
    private static final int MAX_SPEED_POSTCOPY = 1;

    private static boolean setSpeed(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        Long bandwidth;
        try {
            bandwidth = unsigned(vsh, cmd, "bandwidth");
        } catch (Options.Invalid e) {
            return false;
        }
        d.migrateSetMaxSpeed(bandwidth, cmd.flag("postcopy") ? MAX_SPEED_POSTCOPY : 0);
        return true;
    }

    private static boolean getSpeed(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        vsh.print(Long.toUnsignedString(d.migrateGetMaxSpeed(cmd.flag("postcopy") ? MAX_SPEED_POSTCOPY : 0)) + "\n");
        return true;
    }
}
