package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.namedString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllStoragePools;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StoragePoolInfo.StoragePoolState;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** virsh's storage pool commands (virsh-pool.c): pool-list, pool-info, pool-dumpxml, pool-define ... */
final class PoolCommands {

    private PoolCommands() { }

    static final String GROUP = "Storage Pool (help keyword 'pool')";
    private static final String NAME_OR_UUID = "pool name or uuid";

    private static OptDef pool() {
        return data("pool", NAME_OR_UUID);
    }

    private static List<OptDef> buildFlags(OptDef first) {
        return List.of(first, bool("build", "build the pool as normal"),
                bool("no-overwrite", "do not overwrite any existing data"),
                bool("overwrite", "overwrite any existing data"));
    }

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("pool-list", GROUP, "list pools", "Returns list of pools.", List.of(
                        bool("inactive", "list inactive pools"), bool("all", "list inactive & active pools"),
                        bool("transient", "list transient pools"), bool("persistent", "list persistent pools"),
                        bool("autostart", "list pools with autostart enabled"),
                        bool("no-autostart", "list pools with autostart disabled"),
                        OptDef.string("type", "only list pool of specified type(s) (if supported)"),
                        bool("details", "display extended details for pools"),
                        bool("uuid", "list UUID of active pools only"), bool("name", "list name of active pools only")),
                        PoolCommands::list),
                new CmdDef("pool-info", GROUP, "storage pool information", "Returns basic information about the storage pool.",
                        List.of(pool(), bool("bytes", "Return pool info in bytes")), PoolCommands::info),
                new CmdDef("pool-dumpxml", GROUP, "pool information in XML", "Output the pool information as an XML dump to stdout.",
                        List.of(pool(), bool("inactive", "show inactive defined XML"),
                                namedString("xpath", "xpath expression to filter the XML document"),
                                bool("wrap", "wrap xpath results in an common root element")), PoolCommands::dumpxml),
                new CmdDef("pool-define", GROUP,
                        "define an inactive persistent storage pool or modify an existing persistent one from an XML file",
                        "Define or modify a persistent storage pool.", List.of(
                        data("file", "file containing an XML pool description"),
                        bool("validate", "validate the XML against the schema")), PoolCommands::define),
                PoolDefineAs.define(GROUP),
                PoolDefineAs.create(GROUP),
                new CmdDef("pool-build", GROUP, "build a pool", "Build a given pool.", List.of(pool(),
                        bool("no-overwrite", "do not overwrite any existing data"),
                        bool("overwrite", "overwrite any existing data")), PoolCommands::build),
                new CmdDef("pool-delete", GROUP, "delete a pool", "Delete a given pool.", List.of(pool()), PoolCommands::delete),
                new CmdDef("pool-create", GROUP, "create a pool from an XML file", "Create a pool.",
                        buildFlags(data("file", "file containing an XML pool description")), PoolCommands::create),
                new CmdDef("pool-start", GROUP, "start a (previously defined) inactive pool", "Start a pool.",
                        buildFlags(pool()), PoolCommands::start),
                new CmdDef("pool-destroy", GROUP, "destroy (stop) a pool",
                        "Forcefully stop a given pool. Raw data in the pool is untouched", List.of(pool()), PoolCommands::destroy),
                new CmdDef("pool-undefine", GROUP, "undefine an inactive pool",
                        "Undefine the configuration for an inactive pool.", List.of(pool()), PoolCommands::undefine),
                new CmdDef("pool-autostart", GROUP, "autostart a pool", "Configure a pool to be automatically started at boot.",
                        List.of(pool(), bool("disable", "disable autostarting")), PoolCommands::autostart),
                new CmdDef("pool-refresh", GROUP, "refresh a pool", "Refresh a given pool.", List.of(pool()), PoolCommands::refresh),
                new CmdDef("pool-edit", GROUP, "edit XML configuration for a storage pool",
                        "Edit the XML configuration for a storage pool.", List.of(pool()), PoolCommands::edit),
                new CmdDef("find-storage-pool-sources", GROUP, "discover potential storage pool sources",
                        "Returns XML <sources> document.", List.of(data("type", "type of storage pool sources to discover"),
                        OptDef.string("srcSpec", "optional file of source xml to query for pools")), PoolCommands::findSources),
                new CmdDef("find-storage-pool-sources-as", GROUP, "find potential storage pool sources",
                        "Returns XML <sources> document.", List.of(data("type", "type of storage pool sources to find"),
                        OptDef.string("host", "optional host to query"), OptDef.string("port", "optional port to query"),
                        OptDef.string("initiator", "optional initiator IQN to use for query")), PoolCommands::findSourcesAs),
                new CmdDef("pool-capabilities", GROUP, "storage pool capabilities",
                        "Returns capabilities of storage pool support.", List.of(), PoolCommands::capabilities),
                new CmdDef("pool-name", GROUP, "convert a pool UUID to pool name", "", List.of(pool()), PoolCommands::name),
                new CmdDef("pool-uuid", GROUP, "convert a pool name to pool UUID", "", List.of(pool()), PoolCommands::uuid));
    }

    // ---------------------------------------------------------------- lookup

    /** virshCommandOptPoolBy: by uuid (a 36-character word), then by name; null after reporting a failure. */
    static StoragePool lookup(Vsh vsh, String n, boolean byUuid, boolean byName) throws LibvirtException {
        LibvirtException last = null;
        if (byUuid && n.length() == 36) {
            try {
                return vsh.conn().storagePoolLookupByUUIDString(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        if (byName) {
            try {
                return vsh.conn().storagePoolLookupByName(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        vsh.fail("failed to get pool '" + n + "'", last);
        return null;
    }

    private static StoragePool lookup(Vsh vsh, Cmd cmd) throws LibvirtException {
        return lookup(vsh, cmd.get("pool"), true, true);
    }

    // ---------------------------------------------------------------- list

    private static boolean exclusive(Vsh vsh, Cmd cmd, String a, String b) {
        if (cmd.flag(a) && cmd.flag(b)) {
            vsh.error("Options --" + a + " and --" + b + " are mutually exclusive");
            return true;
        }
        return false;
    }

    /** The words of a comma list, ",," standing for a comma (vshStringToArray). */
    private static List<String> commaList(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' && i + 1 < s.length() && s.charAt(i + 1) == ',') {
                w.append(',');
                i++;
            } else if (c == ',') {
                out.add(w.toString());
                w.setLength(0);
            } else {
                w.append(c);
            }
        }
        out.add(w.toString());
        return out;
    }

    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (exclusive(vsh, cmd, "all", "inactive") || exclusive(vsh, cmd, "details", "uuid")
                || exclusive(vsh, cmd, "details", "name")) return false;
        int flags = ListAllStoragePools.ACTIVE;
        if (cmd.flag("inactive")) flags = ListAllStoragePools.INACTIVE;
        if (cmd.flag("all")) flags = ListAllStoragePools.ACTIVE | ListAllStoragePools.INACTIVE;
        if (cmd.flag("persistent")) flags |= ListAllStoragePools.PERSISTENT;
        if (cmd.flag("transient")) flags |= ListAllStoragePools.TRANSIENT;
        if (cmd.flag("autostart")) flags |= ListAllStoragePools.AUTOSTART;
        if (cmd.flag("no-autostart")) flags |= ListAllStoragePools.NO_AUTOSTART;
        if (cmd.get("type") != null) {
            for (String t : commaList(cmd.get("type"))) {
                if (t.isEmpty()) continue;
                int i = StoragePoolInfo.TYPES.indexOf(t);
                if (i < 0) {
                    vsh.error("Invalid pool type '" + t + "'");
                    return false;
                }
                flags |= 64 << i;
            }
        }
        StoragePool[] pools;
        try {
            pools = vsh.conn().listAllStoragePools(flags);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT) return vsh.fail("Failed to list pools", e);
            return fallbackFailed(vsh, flags);
        }
        List<StoragePool> sorted = new ArrayList<>(Arrays.asList(pools));
        sorted.sort(Comparator.comparing(StoragePool::getName, String.CASE_INSENSITIVE_ORDER));
        if (cmd.flag("name") || cmd.flag("uuid")) {
            StringBuilder b = new StringBuilder();
            for (StoragePool p : sorted) {
                if (cmd.flag("uuid")) b.append(String.format("%-36s%s", p.getUUIDString(), cmd.flag("name") ? " " : ""));
                if (cmd.flag("name")) b.append(String.format("%-20s", p.getName()));
                b.append('\n');
            }
            vsh.print(b.toString());
            return true;
        }
        boolean details = cmd.flag("details");
        VshTable t = details ? new VshTable("Name", "State", "Autostart", "Persistent", "Capacity", "Allocation", "Available")
                : new VshTable("Name", "State", "Autostart");
        for (StoragePool p : sorted) {
            StoragePoolInfo info = p.getInfo();
            String autostart;
            try {
                autostart = p.getAutostart() ? "yes" : "no";
            } catch (LibvirtException e) {
                autostart = "no autostart";
            }
            if (!details) {
                t.add(p.getName(), p.isActive() == 1 ? "active" : "inactive", autostart);
                continue;
            }
            boolean sized = info.state == StoragePoolState.VIR_STORAGE_POOL_RUNNING
                    || info.state == StoragePoolState.VIR_STORAGE_POOL_DEGRADED;
            t.add(p.getName(), state(info.state), autostart, p.isPersistent() == 1 ? "yes" : "no",
                    sized ? PrettySize.format(info.capacity) : "-", sized ? PrettySize.format(info.allocation) : "-",
                    sized ? PrettySize.format(info.available) : "-");
        }
        vsh.printTable(t);
        return true;
    }

    /** virsh's fallback to the counting APIs when virConnectListAllStoragePools is not supported. */
    private static boolean fallbackFailed(Vsh vsh, int flags) throws LibvirtException {
        if ((flags & ~0x3f) != 0) {
            // the old APIs cannot tell a pool's type
            vsh.error("Filtering using --type is not supported by this libvirt");
            return false;
        }
        boolean filtered = (flags & (ListAllStoragePools.ACTIVE | ListAllStoragePools.INACTIVE)) != 0;
        if (!filtered || (flags & ListAllStoragePools.ACTIVE) != 0) {
            try {
                vsh.conn().numOfStoragePools();
            } catch (LibvirtException e) {
                // virsh's own message ends with a space
                return vsh.fail("Failed to get the number of active pools ", e);
            }
        }
        if (filtered && (flags & ListAllStoragePools.INACTIVE) == 0) {
            vsh.error("Failed to list pools");
            return false;
        }
        try {
            vsh.conn().numOfDefinedStoragePools();
        } catch (LibvirtException e) {
            return vsh.fail("Failed to get the number of inactive pools", e);
        }
        vsh.error("Failed to list pools");
        return false;
    }

    /** virshStoragePoolStateToString. */
    private static String state(StoragePoolState s) {
        return switch (s) {
            case VIR_STORAGE_POOL_INACTIVE -> "inactive";
            case VIR_STORAGE_POOL_BUILDING -> "building";
            case VIR_STORAGE_POOL_RUNNING -> "running";
            case VIR_STORAGE_POOL_DEGRADED -> "degraded";
            case VIR_STORAGE_POOL_INACCESSIBLE -> "inaccessible";
        };
    }

    // ---------------------------------------------------------------- one pool

    private static String field(String label, String value) {
        return String.format("%-15s %s\n", label, value);
    }

    private static boolean info(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool p = lookup(vsh, cmd);
        if (p == null) return false;
        StringBuilder b = new StringBuilder(field("Name:", p.getName())).append(field("UUID:", p.getUUIDString()));
        StoragePoolInfo info = p.getInfo();
        b.append(field("State:", state(info.state)));
        b.append(field("Persistent:", p.isPersistent() == 1 ? "yes" : "no"));
        String autostart;
        try {
            autostart = p.getAutostart() ? "yes" : "no";
        } catch (LibvirtException e) {
            autostart = "no autostart";
        }
        b.append(field("Autostart:", autostart));
        if (info.state == StoragePoolState.VIR_STORAGE_POOL_RUNNING || info.state == StoragePoolState.VIR_STORAGE_POOL_DEGRADED) {
            boolean bytes = cmd.flag("bytes");
            b.append(field("Capacity:", bytes ? Long.toUnsignedString(info.capacity) : PrettySize.format(info.capacity)));
            b.append(field("Allocation:", bytes ? Long.toUnsignedString(info.allocation) : PrettySize.format(info.allocation)));
            b.append(field("Available:", bytes ? Long.toUnsignedString(info.available) : PrettySize.format(info.available)));
        }
        vsh.print(b.toString());
        return true;
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool p = lookup(vsh, cmd);
        if (p == null) return false;
        return DumpXml.print(vsh, p.getXMLDesc(cmd.flag("inactive") ? 1 : 0), cmd.get("xpath"), cmd.flag("wrap"));
    }

    private static boolean define(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        String xml = ObjectFiles.read(vsh, file);
        try {
            StoragePool p = vsh.conn().storagePoolDefineXML(xml, cmd.flag("validate") ? 1 : 0);
            vsh.printExtra("Pool " + p.getName() + " defined from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to define pool from " + file, e);
        }
    }

    /** VIR_STORAGE_POOL_CREATE_WITH_BUILD (1), _OVERWRITE (2), _NO_OVERWRITE (4). */
    static int buildFlags(Vsh vsh, Cmd cmd) {
        if (exclusive(vsh, cmd, "overwrite", "no-overwrite")) return -1;
        int flags = cmd.flag("build") ? 1 : 0;
        if (cmd.flag("overwrite")) flags |= 2;
        if (cmd.flag("no-overwrite")) flags |= 4;
        return flags;
    }

    private static boolean create(Vsh vsh, Cmd cmd) throws LibvirtException {
        int flags = buildFlags(vsh, cmd);
        if (flags < 0) return false;
        String file = cmd.get("file");
        String xml = ObjectFiles.read(vsh, file);
        try {
            StoragePool p = vsh.conn().storagePoolCreateXML(xml, flags);
            vsh.printExtra("Pool " + p.getName() + " created from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to create pool from " + file, e);
        }
    }

    private interface Action {
        void apply(StoragePool p) throws LibvirtException;
    }

    private static boolean act(Vsh vsh, Cmd cmd, Action action, String done, String failed) throws LibvirtException {
        StoragePool p = lookup(vsh, cmd);
        if (p == null) return false;
        try {
            action.apply(p);
            vsh.printExtra(String.format(done, p.getName()));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail(String.format(failed, p.getName()), e);
        }
    }

    private static boolean start(Vsh vsh, Cmd cmd) throws LibvirtException {
        int flags = buildFlags(vsh, cmd);
        if (flags < 0) return false;
        return act(vsh, cmd, p -> p.create(flags), "Pool %s started\n", "Failed to start pool %s");
    }

    private static boolean build(Vsh vsh, Cmd cmd) throws LibvirtException {
        // VIR_STORAGE_POOL_BUILD_NO_OVERWRITE (4), _OVERWRITE (8)
        int flags = (cmd.flag("no-overwrite") ? 4 : 0) | (cmd.flag("overwrite") ? 8 : 0);
        return act(vsh, cmd, p -> p.build(flags), "Pool %s built\n", "Failed to build pool %s");
    }

    private static boolean delete(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, p -> p.delete(0), "Pool %s deleted\n", "Failed to delete pool %s");
    }

    private static boolean destroy(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, StoragePool::destroy, "Pool %s destroyed\n", "Failed to destroy pool %s");
    }

    private static boolean undefine(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, StoragePool::undefine, "Pool %s has been undefined\n", "Failed to undefine pool %s");
    }

    private static boolean refresh(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, p -> p.refresh(0), "Pool %s refreshed\n", "Failed to refresh pool %s");
    }

    private static boolean autostart(Vsh vsh, Cmd cmd) throws LibvirtException {
        boolean on = !cmd.flag("disable");
        return act(vsh, cmd, p -> p.setAutostart(on ? 1 : 0),
                on ? "Pool %s marked as autostarted\n" : "Pool %s unmarked as autostarted\n",
                on ? "failed to mark pool %s as autostarted" : "failed to unmark pool %s as autostarted");
    }

    /** The inactive XML when the driver has that flag, else the current one (as virsh's cmdPoolEdit). */
    private static boolean edit(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool p = lookup(vsh, cmd);
        if (p == null) return false;
        String xml;
        try {
            xml = p.getXMLDesc(1);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_INVALID_ARG) throw e;
            xml = p.getXMLDesc(0);
        }
        return ObjectEdit.edit(vsh, "Pool", p.getName(), xml, x -> vsh.conn().storagePoolDefineXML(x, 0).getName());
    }

    private static boolean findSources(Vsh vsh, Cmd cmd) throws LibvirtException {
        String spec = cmd.get("srcSpec") == null ? null : ObjectFiles.read(vsh, cmd.get("srcSpec"));
        return printSources(vsh, cmd.get("type"), spec);
    }

    /** The source spec virsh writes from --host, --port and --initiator. */
    private static boolean findSourcesAs(Vsh vsh, Cmd cmd) throws LibvirtException {
        String spec = null;
        if (cmd.get("host") != null) {
            StringBuilder b = new StringBuilder("<source>\n  <host name='").append(cmd.get("host")).append('\'');
            if (cmd.get("port") != null) b.append(" port='").append(cmd.get("port")).append('\'');
            b.append("/>\n");
            if (cmd.get("initiator") != null) {
                b.append("  <initiator>\n    <iqn name='").append(cmd.get("initiator")).append("'/>\n  </initiator>\n");
            }
            spec = b.append("</source>\n").toString();
        }
        return printSources(vsh, cmd.get("type"), spec);
    }

    private static boolean printSources(Vsh vsh, String type, String spec) throws LibvirtException {
        try {
            vsh.print(vsh.conn().findStoragePoolSources(type, spec, 0));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to find any " + type + " pool sources", e);
        }
    }

    private static boolean capabilities(Vsh vsh, Cmd cmd) throws LibvirtException {
        try {
            vsh.print(vsh.conn().getStoragePoolCapabilities(0));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("failed to get storage pool capabilities", e);
        }
    }

    private static boolean name(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool p = lookup(vsh, cmd.get("pool"), true, false);
        if (p == null) return false;
        vsh.print(p.getName() + "\n");
        return true;
    }

    private static boolean uuid(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool p = lookup(vsh, cmd.get("pool"), false, true);
        if (p == null) return false;
        vsh.print(p.getUUIDString() + "\n");
        return true;
    }
}
