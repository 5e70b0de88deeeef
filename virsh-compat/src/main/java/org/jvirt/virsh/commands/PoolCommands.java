package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.namedString;

import java.util.List;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StoragePoolInfo.StoragePoolState;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;

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
                        PoolList::list),
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
                        OptDef.string("srcSpec", "optional file of source xml to query for pools")), PoolSources::findSources),
                new CmdDef("find-storage-pool-sources-as", GROUP, "find potential storage pool sources",
                        "Returns XML <sources> document.", List.of(data("type", "type of storage pool sources to find"),
                        OptDef.string("host", "optional host to query"), OptDef.string("port", "optional port to query"),
                        OptDef.string("initiator", "optional initiator IQN to use for query")), PoolSources::findSourcesAs),
                new CmdDef("pool-capabilities", GROUP, "storage pool capabilities",
                        "Returns capabilities of storage pool support.", List.of(), PoolSources::capabilities),
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

    // ---------------------------------------------------------------- one pool

    private static String field(String label, String value) {
        return String.format("%-15s %s\n", label, value);
    }

    private static boolean info(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool p = lookup(vsh, cmd);
        if (p == null) return false;
        StringBuilder b = new StringBuilder(field("Name:", p.getName())).append(field("UUID:", p.getUUIDString()));
        StoragePoolInfo info = p.getInfo();
        b.append(field("State:", PoolList.state(info.state)));
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
        if (PoolList.exclusive(vsh, cmd, "overwrite", "no-overwrite")) return -1;
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
