package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllNetworks;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.Network;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** virsh's virtual network commands (virsh-network.c): net-list, net-info, net-dumpxml, net-define ... */
final class NetworkCommands {

    private NetworkCommands() { }

    static final String GROUP = "Networking (help keyword 'network')";

    private static OptDef network(String help) {
        return data("network", help);
    }

    static List<CmdDef> all() {
        String nameOrUuid = "network name or uuid";
        return List.of(
                new CmdDef("net-list", GROUP, "list networks", "Returns list of networks.", List.of(
                        bool("inactive", "list inactive networks"), bool("all", "list inactive & active networks"),
                        bool("persistent", "list persistent networks"), bool("transient", "list transient networks"),
                        bool("autostart", "list networks with autostart enabled"),
                        bool("no-autostart", "list networks with autostart disabled"),
                        bool("uuid", "list uuid's only"), bool("name", "list network names only"),
                        bool("table", "list table (default)")), NetworkCommands::list),
                new CmdDef("net-info", GROUP, "network information", "Returns basic information about the network",
                        List.of(network(nameOrUuid)), NetworkCommands::info),
                new CmdDef("net-dumpxml", GROUP, "network information in XML",
                        "Output the network information as an XML dump to stdout.", List.of(network(nameOrUuid),
                        bool("inactive", "show inactive defined XML"),
                        OptDef.namedString("xpath", "xpath expression to filter the XML document"),
                        bool("wrap", "wrap xpath results in an common root element")), NetworkCommands::dumpxml),
                new CmdDef("net-define", GROUP,
                        "define an inactive persistent virtual network or modify an existing persistent one from an XML file",
                        "Define or modify a persistent virtual network.", List.of(
                        data("file", "file containing an XML network description"),
                        bool("validate", "validate the XML against the schema")), NetworkCommands::define),
                new CmdDef("net-create", GROUP, "create a network from an XML file", "Create a network.", List.of(
                        data("file", "file containing an XML network description"),
                        bool("validate", "validate the XML against the schema")), NetworkCommands::create),
                new CmdDef("net-start", GROUP, "start a (previously defined) inactive network", "Start a network.",
                        List.of(network(nameOrUuid)), NetworkCommands::start),
                new CmdDef("net-destroy", GROUP, "destroy (stop) a network", "Forcefully stop a given network.",
                        List.of(network(nameOrUuid)), NetworkCommands::destroy),
                new CmdDef("net-undefine", GROUP, "undefine a persistent network",
                        "Undefine the configuration for a persistent network.",
                        List.of(network(nameOrUuid)), NetworkCommands::undefine),
                new CmdDef("net-autostart", GROUP, "autostart a network",
                        "Configure a network to be automatically started at boot.",
                        List.of(network(nameOrUuid), bool("disable", "disable autostarting")), NetworkCommands::autostart),
                new CmdDef("net-dhcp-leases", GROUP, "print lease info for a given network",
                        "Print lease info for a given network", List.of(network(nameOrUuid),
                        OptDef.string("mac", "MAC address")), NetworkCommands::dhcpLeases),
                new CmdDef("net-edit", GROUP, "edit XML configuration for a network",
                        "Edit the XML configuration for a network.", List.of(network(nameOrUuid)), NetworkCommands::edit),
                new CmdDef("net-name", GROUP, "convert a network UUID to network name", "",
                        List.of(network("network uuid")), NetworkCommands::name),
                new CmdDef("net-uuid", GROUP, "convert a network name to network UUID", "",
                        List.of(network("network name")), NetworkCommands::uuid),
                new CmdDef("net-update", GROUP, "update parts of an existing network's configuration", "", List.of(
                        network(nameOrUuid),
                        data("command", "type of update (add-first, add-last (add), delete, or modify)"),
                        data("section", "which section of network configuration to update"),
                        data("xml", "name of file containing xml (or, if it starts with '<', the complete xml element itself) "
                                + "to add/modify, or to be matched for search"),
                        new OptDef("parent-index", org.jvirt.virsh.shell.OptType.INT, false, false, "which parent object to search through"),
                        bool("config", "affect next network startup"), bool("live", "affect running network"),
                        bool("current", "affect current state of network")), NetworkCommands::update));
    }

    // ---------------------------------------------------------------- lookup

    /**
     * virshCommandOptNetworkBy: by uuid (a 36-character word) then by name; on failure it
     * reports virsh's line and the last lookup's error, and returns null.
     */
    static Network lookup(Vsh vsh, Cmd cmd, boolean byUuid, boolean byName) throws LibvirtException {
        String n = cmd.get("network");
        LibvirtException last = null;
        if (byUuid && n.length() == 36) {
            try {
                return vsh.conn().networkLookupByUUIDString(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        if (byName) {
            try {
                return vsh.conn().networkLookupByName(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        vsh.fail("failed to get network '" + n + "'", last);
        return null;
    }

    static Network lookup(Vsh vsh, Cmd cmd) throws LibvirtException {
        return lookup(vsh, cmd, true, true);
    }

    // ---------------------------------------------------------------- list

    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        int outputs = (cmd.flag("table") ? 1 : 0) + (cmd.flag("name") ? 1 : 0) + (cmd.flag("uuid") ? 1 : 0);
        if (outputs > 1) {
            vsh.error("Only one argument from --table, --name and --uuid may be specified.");
            return false;
        }
        int flags = ListAllNetworks.ACTIVE;
        if (cmd.flag("inactive")) flags = ListAllNetworks.INACTIVE;
        if (cmd.flag("all")) flags = ListAllNetworks.ACTIVE | ListAllNetworks.INACTIVE;
        if (cmd.flag("persistent")) flags |= ListAllNetworks.PERSISTENT;
        if (cmd.flag("transient")) flags |= ListAllNetworks.TRANSIENT;
        if (cmd.flag("autostart")) flags |= ListAllNetworks.AUTOSTART;
        if (cmd.flag("no-autostart")) flags |= ListAllNetworks.NO_AUTOSTART;
        Network[] nets;
        try {
            nets = vsh.conn().listAllNetworks(flags);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT) return vsh.fail("Failed to list networks", e);
            return fallbackFailed(vsh, flags);
        }
        List<Network> sorted = new ArrayList<>(Arrays.asList(nets));
        sorted.sort(Comparator.comparing(Network::getName, String.CASE_INSENSITIVE_ORDER));
        if (cmd.flag("name") || cmd.flag("uuid")) {
            for (Network n : sorted) vsh.print((cmd.flag("name") ? n.getName() : n.getUUIDString()) + "\n");
            return true;
        }
        VshTable t = new VshTable("Name", "State", "Autostart", "Persistent");
        for (Network n : sorted) {
            String autostart;
            try {
                autostart = n.getAutostart() ? "yes" : "no";
            } catch (LibvirtException e) {
                autostart = "no autostart";
            }
            t.add(n.getName(), n.isActive() == 1 ? "active" : "inactive", autostart, n.isPersistent() == 1 ? "yes" : "no");
        }
        vsh.printTable(t);
        return true;
    }

    /**
     * virsh falls back to the old counting APIs when virConnectListAllNetworks is not
     * supported; on a driver without networks they fail too, and that is what it reports.
     */
    private static boolean fallbackFailed(Vsh vsh, int flags) throws LibvirtException {
        boolean filtered = (flags & (ListAllNetworks.ACTIVE | ListAllNetworks.INACTIVE)) != 0;
        if (!filtered || (flags & ListAllNetworks.ACTIVE) != 0) {
            try {
                vsh.conn().numOfNetworks();
            } catch (LibvirtException e) {
                return vsh.fail("Failed to get the number of active networks", e);
            }
        }
        if (filtered && (flags & ListAllNetworks.INACTIVE) == 0) {
            vsh.error("Failed to list networks");
            return false;
        }
        try {
            vsh.conn().numOfDefinedNetworks();
        } catch (LibvirtException e) {
            return vsh.fail("Failed to get the number of inactive networks", e);
        }
        vsh.error("Failed to list networks");
        return false;
    }

    // ---------------------------------------------------------------- one network

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static boolean info(Vsh vsh, Cmd cmd) throws LibvirtException {
        Network n = lookup(vsh, cmd);
        if (n == null) return false;
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-15s %s\n", "Name:", n.getName()));
        b.append(String.format("%-15s %s\n", "UUID:", n.getUUIDString()));
        b.append(String.format("%-15s %s\n", "Active:", yesNo(n.isActive() == 1)));
        b.append(String.format("%-15s %s\n", "Persistent:", yesNo(n.isPersistent() == 1)));
        b.append(String.format("%-15s %s\n", "Autostart:", yesNo(n.getAutostart())));
        try {
            b.append(String.format("%-15s %s\n", "Bridge:", n.getBridgeName()));
        } catch (LibvirtException e) {
            // as virsh: a network without a bridge name has no Bridge line
        }
        vsh.print(b.toString());
        return true;
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        Network n = lookup(vsh, cmd);
        if (n == null) return false;
        return DumpXml.print(vsh, n.getXMLDesc(cmd.flag("inactive") ? 1 : 0), cmd.get("xpath"), cmd.flag("wrap"));
    }

    private static boolean define(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        String xml = ObjectFiles.read(vsh, file);
        try {
            Network n = cmd.flag("validate") ? vsh.conn().networkDefineXML(xml, 1) : vsh.conn().networkDefineXML(xml);
            vsh.printExtra("Network " + n.getName() + " defined from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to define network from " + file, e);
        }
    }

    private static boolean create(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        String xml = ObjectFiles.read(vsh, file);
        try {
            Network n = cmd.flag("validate") ? vsh.conn().networkCreateXML(xml, 1) : vsh.conn().networkCreateXML(xml);
            vsh.printExtra("Network " + n.getName() + " created from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to create network from " + file, e);
        }
    }

    private interface Action {
        void apply(Network n) throws LibvirtException;
    }

    private static boolean act(Vsh vsh, Cmd cmd, Action action, String done, String failed) throws LibvirtException {
        Network n = lookup(vsh, cmd);
        if (n == null) return false;
        try {
            action.apply(n);
            vsh.printExtra(String.format(done, n.getName()));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail(String.format(failed, n.getName()), e);
        }
    }

    private static boolean start(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, Network::create, "Network %s started\n", "Failed to start network %s");
    }

    private static boolean destroy(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, Network::destroy, "Network %s destroyed\n", "Failed to destroy network %s");
    }

    private static boolean undefine(Vsh vsh, Cmd cmd) throws LibvirtException {
        return act(vsh, cmd, Network::undefine, "Network %s has been undefined\n", "Failed to undefine network %s");
    }

    private static boolean autostart(Vsh vsh, Cmd cmd) throws LibvirtException {
        boolean on = !cmd.flag("disable");
        return act(vsh, cmd, n -> n.setAutostart(on),
                on ? "Network %s marked as autostarted\n" : "Network %s unmarked as autostarted\n",
                on ? "failed to mark network %s as autostarted" : "failed to unmark network %s as autostarted");
    }

    /** virshNetworkGetXMLDesc: the inactive XML, or the live one when the driver has no such flag. */
    private static boolean edit(Vsh vsh, Cmd cmd) throws LibvirtException {
        Network n = lookup(vsh, cmd);
        if (n == null) return false;
        String xml;
        try {
            xml = n.getXMLDesc(1);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_INVALID_ARG) throw e;
            xml = n.getXMLDesc(0);
        }
        return ObjectEdit.edit(vsh, "Network", n.getName(), xml, x -> vsh.conn().networkDefineXML(x).getName());
    }

    /** cmdNetworkDHCPLeaseList: the leases sorted by MAC address, in virsh's table. */
    private static boolean dhcpLeases(Vsh vsh, Cmd cmd) throws LibvirtException {
        Network n = lookup(vsh, cmd);
        if (n == null) return false;
        List<org.jvirt.driver.api.NetworkDHCPLease> leases;
        try {
            leases = new ArrayList<>(n.getDHCPLeases(cmd.get("mac"), 0));
        } catch (LibvirtException e) {
            return vsh.fail("Failed to get leases info for " + n.getName(), e);
        }
        leases.sort(Comparator.comparing(org.jvirt.driver.api.NetworkDHCPLease::mac));
        VshTable t = new VshTable("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname", "Client ID or DUID");
        java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (org.jvirt.driver.api.NetworkDHCPLease l : leases) {
            String expiry = time.format(java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochSecond(l.expiryTime()),
                    java.time.ZoneId.systemDefault()));
            t.add(expiry, l.mac() == null ? "-" : l.mac(), l.type() == 0 ? "ipv4" : "ipv6", l.ipaddr() + "/" + l.prefix(),
                    l.hostname() == null ? "-" : l.hostname(), l.clientid() == null ? "-" : l.clientid());
        }
        vsh.printTable(t);
        return true;
    }

    /** virNetworkUpdateCommand's names as virsh reads them ("add" is add-last). */
    private static final List<String> UPDATE_COMMANDS = List.of("", "modify", "delete", "add-last", "add-first");
    /** virNetworkUpdateSection's names (0 is none, which virsh refuses). */
    private static final List<String> UPDATE_SECTIONS = List.of("none", "bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range",
            "forward", "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv");

    /** cmdNetworkUpdate. */
    private static boolean update(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "current", "live") || !Options.exclusive(vsh, cmd, "current", "config")) return false;
        Network n = lookup(vsh, cmd);
        if (n == null) return false;
        String commandName = cmd.get("command");
        int command = "add".equals(commandName) ? 3 : UPDATE_COMMANDS.indexOf(commandName);
        if (command <= 0) {
            vsh.error("unrecognized command name '" + commandName + "'");
            return false;
        }
        String sectionName = cmd.get("section");
        int section = UPDATE_SECTIONS.indexOf(sectionName);
        if (section <= 0) {
            vsh.error("unrecognized section name '" + sectionName + "'");
            return false;
        }
        int parentIndex;
        try {
            parentIndex = Options.integer(vsh, cmd, "parent-index", -1);
        } catch (Options.Invalid e) {
            return false;
        }
        String affected = cmd.get("xml");
        String xml = affected.startsWith("<") ? affected : ObjectFiles.read(vsh, affected);
        if (xml == null) return false;
        boolean config = cmd.flag("config");
        boolean live = cmd.flag("live");
        int flags = (config ? 2 : 0) | (live ? 1 : 0);
        try {
            n.update(command, section, parentIndex, xml, flags);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to update network " + n.getName(), e);
        }
        String what;
        if (config) what = live ? "persistent config and live state" : "persistent config";
        else if (live || n.isActive() == 1) what = "live state";
        else what = "persistent config";
        // virsh prints this one without a newline: only the one after every command ends it
        vsh.printExtra("Updated network " + n.getName() + " " + what);
        return true;
    }

    private static boolean name(Vsh vsh, Cmd cmd) throws LibvirtException {
        Network n = lookup(vsh, cmd, true, false);
        if (n == null) return false;
        vsh.print(n.getName() + "\n");
        return true;
    }

    private static boolean uuid(Vsh vsh, Cmd cmd) throws LibvirtException {
        Network n = lookup(vsh, cmd, false, true);
        if (n == null) return false;
        vsh.print(n.getUUIDString() + "\n");
        return true;
    }
}
