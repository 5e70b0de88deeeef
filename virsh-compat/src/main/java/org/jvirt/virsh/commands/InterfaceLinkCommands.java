package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInterface;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.NetDefaults;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.xml.io.SecureXml;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.model.SourceTree;

/**
 * A domain's interfaces: domifaddr (virDomainInterfaceAddresses), and domif-getlink and
 * domif-setlink, which virsh does in the XML: getlink reads {@code <link state>} from the
 * domain XML, setlink edits it in the interface's element and sends that through
 * virDomainUpdateDeviceFlags (cmdDomIfGetLink, cmdDomIfSetLink).
 */
final class InterfaceLinkCommands {

    private InterfaceLinkCommands() { }

    private static final String[] SOURCES = {"lease", "agent", "arp"};

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("domif-setlink", DomainCommands.GROUP, "set link state of a virtual interface",
                        "Set link state of a domain's virtual interface. This command wraps usage of update-device command.",
                        List.of(domain(), OptDef.data("interface", "interface device (MAC Address)"),
                                OptDef.data("state", "new state of the device"),
                                new OptDef("persistent", OptType.ALIAS, false, true, "config"),
                                bool("config", "affect next boot"),
                                bool("print-xml", "print XML document rather than set the interface link state")),
                        InterfaceLinkCommands::setlink),
                new CmdDef("domif-getlink", MonitorCommands.GROUP, "get link state of a virtual interface",
                        "Get link state of a domain's virtual interface.",
                        List.of(domain(), OptDef.data("interface", "interface device (MAC Address)"),
                                new OptDef("persistent", OptType.ALIAS, false, true, "config"),
                                bool("config", "Get persistent interface state")),
                        InterfaceLinkCommands::getlink),
                new CmdDef("domifaddr", MonitorCommands.GROUP, "Get network interfaces' addresses for a running domain",
                        "Get network interfaces' addresses for a running domain",
                        List.of(domain(), OptDef.string("interface", "network interface name"),
                                bool("full", "always display names and MACs of interfaces"),
                                OptDef.string("source", "address source: 'lease', 'agent', or 'arp'")),
                        InterfaceLinkCommands::domifaddr));
    }

    // ---------------------------------------------------------------- domifaddr

    private static boolean domifaddr(Vsh vsh, Cmd cmd) throws LibvirtException {
        String only, sourceName;
        try {
            only = Options.string(vsh, cmd, "interface");
            sourceName = Options.string(vsh, cmd, "source");
        } catch (Options.Invalid e) {
            return false;
        }
        int source = 0;
        if (sourceName != null) {
            source = List.of(SOURCES).indexOf(sourceName);
            if (source < 0) {
                vsh.error("Unknown data source '" + sourceName + "'");
                return false;
            }
        }
        Domain d = vsh.domain(cmd, "domain");
        java.util.Collection<DomainInterface> ifaces;
        try {
            ifaces = d.interfaceAddresses(source, 0);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to query for interfaces addresses", e);
        }
        vsh.printExtra(String.format(" %-10s %-20s %-8s     %s\n%s%s\n", "Name", "MAC address", "Protocol", "Address",
                "-------------------------------------------------", "------------------------------"));
        boolean full = cmd.flag("full");
        StringBuilder b = new StringBuilder();
        for (DomainInterface iface : ifaces) {
            if (only != null && !only.equals(iface.name)) continue;
            if (iface.addrs.isEmpty()) {
                b.append(String.format(" %-10s %-17s    %-12s %s\n", str(iface.name), iface.hwAddr == null ? "N/A" : iface.hwAddr, "N/A", "N/A"));
                continue;
            }
            int j = 0;
            for (DomainInterface.InterfaceAddress a : iface.addrs) {
                String type = a.type == DomainInterface.IP_ADDR_TYPE_IPV4 ? "ipv4" : "ipv6";
                String addr = String.format("%-12s %s/%d", type, a.text, a.prefixLength);
                if (full || j == 0) b.append(String.format(" %-10s %-17s    %s\n", str(iface.name), iface.hwAddr == null ? "" : iface.hwAddr, addr));
                else b.append(String.format(" %-10s %-17s    %s\n", "-", "-", addr));
                j++;
            }
        }
        vsh.print(b.toString());
        return true;
    }

    /** printf's %s of a NULL string in glibc. */
    private static String str(String s) {
        return s == null ? "(null)" : s;
    }

    // ---------------------------------------------------------------- domif-getlink

    private static boolean getlink(Vsh vsh, Cmd cmd) throws LibvirtException {
        String iface;
        try {
            iface = Options.string(vsh, cmd, "interface");
        } catch (Options.Invalid e) {
            return false;
        }
        boolean config = cmd.flag("config");
        Domain d = vsh.domain(cmd, "domain");
        SourceTree tree = scan(d.getXMLDesc(config ? Flags.DomainXml.INACTIVE : 0));
        byte[] mac = NetDefaults.parse(iface);
        String macstr = mac == null ? "" : NetDefaults.format(mac);
        List<SourceTree.Element> found = new ArrayList<>();
        for (SourceTree.Element nic : interfaces(tree)) {
            if (anyAttribute(nic, "mac", "address", macstr) || anyAttribute(nic, "target", "dev", iface)) found.add(nic);
        }
        if (found.isEmpty()) {
            vsh.error(mac != null ? "Interface (mac: " + macstr + ") not found." : "Interface (dev: " + iface + ") not found.");
            return false;
        }
        if (found.size() > 1) {
            vsh.error("multiple matching interfaces found");
            return false;
        }
        SourceTree.Element link = MediumXml.child(found.get(0), "link");
        String state = link == null ? null : MediumXml.attribute(link, "state");
        vsh.print(iface + " " + (state == null ? "up" : state));
        return true;
    }

    /** XPath's {@code child/@attr = 'value'}: true when any such child has it. */
    private static boolean anyAttribute(SourceTree.Element e, String child, String attr, String value) {
        for (SourceTree.Element c : MediumXml.children(e, child)) if (value.equals(MediumXml.attribute(c, attr))) return true;
        return false;
    }

    // ---------------------------------------------------------------- domif-setlink

    private static boolean setlink(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        String iface, state;
        try {
            iface = Options.string(vsh, cmd, "interface");
            state = Options.string(vsh, cmd, "state");
        } catch (Options.Invalid e) {
            return false;
        }
        if (!state.equals("up") && !state.equals("down")) {
            vsh.error("invalid link state '" + state + "'");
            return false;
        }
        boolean config = cmd.flag("config");
        int flags = config ? Flags.Affect.CONFIG : Flags.Affect.LIVE;
        if (d.isActive() == 0) flags = Flags.Affect.CONFIG;
        SourceTree tree = scan(d.getXMLDesc(config ? Flags.DomainXml.INACTIVE : 0));
        List<SourceTree.Element> nics = interfaces(tree);
        if (nics.isEmpty()) {
            vsh.error("Failed to extract interface information or no interfaces found");
            return false;
        }
        SourceTree.Element nic = null;
        for (SourceTree.Element n : nics) {
            SourceTree.Element m = MediumXml.child(n, "mac"), t = MediumXml.child(n, "target");
            String macaddr = m == null ? null : MediumXml.attribute(m, "address");
            String target = t == null ? null : MediumXml.attribute(t, "dev");
            if ((macaddr != null && macaddr.equalsIgnoreCase(iface)) || (target != null && target.equalsIgnoreCase(iface))) {
                nic = n;
                break;
            }
        }
        if (nic == null) {
            vsh.error("interface '" + iface + "' not found");
            return false;
        }
        SourceTree.Element link = MediumXml.child(nic, "link");
        if (link == null) { // xmlNewChild: appended after the element's last child, blanks included
            link = new SourceTree.Element("link");
            nic.children.add(link);
        }
        MediumXml.setAttribute(link, "state", state);
        StringBuilder xml = new StringBuilder();
        MediumXml.write(xml, nic);
        if (cmd.flag("print-xml")) {
            vsh.print(xml.toString());
            return true;
        }
        try {
            d.updateDeviceFlags(xml.toString(), flags);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to update interface link state", e);
        }
        vsh.printExtra("Device updated successfully\n");
        return true;
    }

    // ---------------------------------------------------------------- XML

    private static SourceTree scan(String xml) throws LibvirtException {
        try {
            return SecureXml.scan(xml, "(domain_definition)", XmlLimits.LIBVIRT);
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
    }

    /** /domain/devices/interface */
    private static List<SourceTree.Element> interfaces(SourceTree tree) {
        List<SourceTree.Element> out = new ArrayList<>();
        if (!tree.root.name.equals("domain")) return out;
        for (SourceTree.Element devices : MediumXml.children(tree.root, "devices")) out.addAll(MediumXml.children(devices, "interface"));
        return out;
    }
}
