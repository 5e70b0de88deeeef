package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.namedString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllInterfaces;
import org.jvirt.driver.api.Interface;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** virsh's host interface commands (virsh-interface.c): iface-list, iface-dumpxml, iface-mac, iface-name. */
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
