package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.namedString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllInterfaces;
import org.jvirt.driver.api.Interface;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** virsh's host interface commands (virsh-interface.c): list, dumpxml, define, undefine, start, destroy, begin/commit/rollback, mac, name. */
final class InterfaceCommands {

    private InterfaceCommands() { }

    static final String GROUP = "Interface (help keyword 'interface')";

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("iface-list", GROUP, "list physical host interfaces", "Returns list of physical host interfaces.",
                        List.of(bool("inactive", "list inactive interfaces"), bool("all", "list inactive & active interfaces")),
                        InterfaceCommands::list),
                new CmdDef("iface-dumpxml", GROUP, "interface information in XML",
                        "Output the physical host interface information as an XML dump to stdout.", List.of(
                        data("interface", "interface name or MAC address"), bool("inactive", "show inactive defined XML"),
                        namedString("xpath", "xpath expression to filter the XML document"),
                        bool("wrap", "wrap xpath results in an common root element")), InterfaceCommands::dumpxml),
                new CmdDef("iface-define", GROUP,
                        "define an inactive persistent physical host interface or modify an existing persistent one from an XML file",
                        "Define or modify a persistent physical host interface.", List.of(
                        data("file", "file containing an XML interface description"),
                        bool("validate", "validate the XML against the schema")), InterfaceCommands::define),
                new CmdDef("iface-undefine", GROUP, "undefine a physical host interface (remove it from configuration)",
                        "undefine an interface.", List.of(data("interface", "interface name or MAC address")),
                        InterfaceCommands::undefine),
                new CmdDef("iface-start", GROUP, "start a physical host interface (enable it / \"if-up\")",
                        "start a physical host interface.", List.of(data("interface", "interface name or MAC address")),
                        InterfaceCommands::start),
                new CmdDef("iface-destroy", GROUP, "destroy a physical host interface (disable it / \"if-down\")",
                        "forcefully stop a physical host interface.", List.of(data("interface", "interface name or MAC address")),
                        InterfaceCommands::destroy),
                new CmdDef("iface-begin", GROUP, "create a snapshot of current interfaces settings, which can be later "
                        + "committed (iface-commit) or restored (iface-rollback)", "Create a restore point for interfaces settings",
                        List.of(), (v, c) -> transaction(v, "begin", "started", Connect::interfaceChangeBegin)),
                new CmdDef("iface-commit", GROUP, "commit changes made since iface-begin and free restore point",
                        "commit changes and free restore point",
                        List.of(), (v, c) -> transaction(v, "commit", "committed", Connect::interfaceChangeCommit)),
                new CmdDef("iface-rollback", GROUP, "rollback to previous saved configuration created via iface-begin",
                        "rollback to previous restore point",
                        List.of(), (v, c) -> transaction(v, "rollback", "rolled back", Connect::interfaceChangeRollback)),
                new CmdDef("iface-mac", GROUP, "convert an interface name to interface MAC address", "",
                        List.of(data("interface", "interface name")), InterfaceCommands::mac),
                new CmdDef("iface-name", GROUP, "convert an interface MAC address to interface name", "",
                        List.of(data("interface", "interface mac")), InterfaceCommands::name));
    }

    /**
     * virshCommandOptInterfaceBy: a word that parses as a MAC address is looked up by MAC, any
     * other by name, each only when the command allows that; null after reporting a failure.
     */
    private static Interface lookup(Vsh vsh, Cmd cmd, boolean byName, boolean byMac) throws LibvirtException {
        String n = cmd.get("interface");
        LibvirtException last = null;
        boolean isMac = n.matches("([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}");
        if (isMac && byMac) {
            try {
                return vsh.conn().interfaceLookupByMACString(n);
            } catch (LibvirtException e) {
                last = e;
            }
        } else if (!isMac && byName) {
            try {
                return vsh.conn().interfaceLookupByName(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        vsh.fail("failed to get interface '" + n + "'", last);
        return null;
    }

    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (cmd.flag("all") && cmd.flag("inactive")) {
            vsh.error("Options --all and --inactive are mutually exclusive");
            return false;
        }
        int flags = cmd.flag("all") ? ListAllInterfaces.ACTIVE | ListAllInterfaces.INACTIVE
                : cmd.flag("inactive") ? ListAllInterfaces.INACTIVE : ListAllInterfaces.ACTIVE;
        Interface[] ifaces;
        try {
            ifaces = vsh.conn().listAllInterfaces(flags);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT) return vsh.fail("Failed to list interfaces", e);
            // virsh falls back to the counting APIs; a driver without interfaces fails those too
            boolean active = (flags & ListAllInterfaces.ACTIVE) != 0;
            try {
                if (active) vsh.conn().numOfInterfaces();
                else vsh.conn().numOfDefinedInterfaces();
            } catch (LibvirtException e2) {
                return vsh.fail(active ? "Failed to list active interfaces" : "Failed to list inactive interfaces", e2);
            }
            vsh.error("Failed to list interfaces");
            return false;
        }
        List<Interface> sorted = new ArrayList<>(Arrays.asList(ifaces));
        sorted.sort(Comparator.comparing(Interface::getName, String.CASE_INSENSITIVE_ORDER));
        VshTable t = new VshTable("Name", "State", "MAC Address");
        for (Interface i : sorted) t.add(i.getName(), i.isActive() == 1 ? "active" : "inactive", i.getMACString());
        vsh.printTable(t);
        return true;
    }

    private static boolean define(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        String xml = ObjectFiles.read(vsh, file);
        try {
            Interface i = vsh.conn().interfaceDefineXML(xml, cmd.flag("validate") ? 1 : 0);
            vsh.printExtra("Interface " + i.getName() + " defined from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to define interface from " + file, e);
        }
    }

    private interface Action {
        void apply(Interface i) throws LibvirtException;
    }

    private static boolean act(Vsh vsh, Cmd cmd, Action action, String done, String failed) throws LibvirtException {
        Interface i = lookup(vsh, cmd, true, true);
        if (i == null) return false;
        try {
            action.apply(i);
            vsh.printExtra(String.format(done, i.getName()));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail(String.format(failed, i.getName()), e);
        }
    }

    private static boolean undefine(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, Interface::undefine, "Interface %s undefined\n", "Failed to undefine interface %s");
    }

    private static boolean start(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, Interface::create, "Interface %s started\n", "Failed to start interface %s");
    }

    private static boolean destroy(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, Interface::destroy, "Interface %s destroyed\n", "Failed to destroy interface %s");
    }

    private interface ChangeCall {
        void run(Connect c) throws LibvirtException;
    }

    /** iface-begin, iface-commit, iface-rollback: the host's network configuration change transaction. */
    private static boolean transaction(Vsh vsh, String verb, String done, ChangeCall call) throws LibvirtException {
        try {
            call.run(vsh.conn());
            vsh.printExtra("Network config change transaction " + done + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to " + verb + " network config change transaction", e);
        }
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        Interface i = lookup(vsh, cmd, true, true);
        if (i == null) return false;
        return DumpXml.print(vsh, i.getXMLDescription(cmd.flag("inactive") ? 1 : 0), cmd.get("xpath"), cmd.flag("wrap"));
    }

    private static boolean mac(Vsh vsh, Cmd cmd) throws LibvirtException {
        Interface i = lookup(vsh, cmd, true, false);
        if (i == null) return false;
        vsh.print(i.getMACString() + "\n");
        return true;
    }

    private static boolean name(Vsh vsh, Cmd cmd) throws LibvirtException {
        Interface i = lookup(vsh, cmd, false, true);
        if (i == null) return false;
        vsh.print(i.getName() + "\n");
        return true;
    }
}
