package org.jvirt.driver.objxml;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;
import static org.jvirt.driver.objxml.ObjectXml.children;

import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * A host interface's definition (libvirt's virInterfaceDef): type and name checked as
 * virInterfaceDefParseXML does, written in virInterfaceDefDevFormat's order (start, mtu, link,
 * protocols, then the type's own part: the MAC of an ethernet interface, or its bridge, bond or
 * vlan element as given).
 */
public final class InterfaceDef {

    private static final List<String> TYPES = List.of("ethernet", "bridge", "bond", "vlan");

    private final Element root;
    private final String type;
    private final String name;
    private final String mac;

    private InterfaceDef(Element root, String type, String name, String mac) {
        this.root = root;
        this.type = type;
        this.name = name;
        this.mac = mac;
    }

    public static InterfaceDef parse(String xml) throws LibvirtException {
        Element root = ObjectXml.parse(xml, "interface", "interface_definition");
        String type = attr(root, "type");
        if (type == null) throw xmlError("Missing required attribute 'type' in element 'interface'");
        if (!TYPES.contains(type)) throw xmlError("Invalid value for attribute 'type' in element 'interface': '" + type + "'.");
        String name = attr(root, "name");
        if (name == null) throw xmlError("interface has no name");
        Element m = type.equals("ethernet") ? child(root, "mac") : null;
        return new InterfaceDef(root, type, name, m == null ? null : attr(m, "address"));
    }

    private static LibvirtException xmlError(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_INTERFACE, message);
    }

    public String name() { return name; }

    /** The MAC address, or "" when the definition has none (as virInterfaceGetMACString gives it). */
    public String mac() { return mac == null ? "" : mac; }

    public String format() {
        XmlOut o = new XmlOut();
        o.open("interface type='" + type + "' name='" + XmlOut.escape(name) + "'");
        for (String n : List.of("start", "mtu", "link")) {
            Element e = child(root, n);
            if (e != null) o.copy(e);
        }
        for (Element p : children(root)) if (p.name.equals("protocol")) formatProtocol(o, p);
        if (type.equals("ethernet")) {
            if (mac != null) o.line("<mac address='" + XmlOut.escape(mac) + "'/>");
        } else {
            Element part = child(root, type);
            if (part != null) o.copy(part);
        }
        o.close("interface");
        return o.toString();
    }

    /** virInterfaceProtocolDefFormat: autoconf, dhcp, the addresses (address before prefix), routes. */
    private static void formatProtocol(XmlOut o, Element p) {
        o.open("protocol" + XmlOut.attr("family", attr(p, "family")));
        for (String n : List.of("autoconf", "dhcp", "ip", "route")) {
            for (Element c : children(p)) {
                if (!c.name.equals(n)) continue;
                if (n.equals("ip")) o.line("<ip" + XmlOut.attr("address", attr(c, "address")) + XmlOut.attr("prefix", attr(c, "prefix")) + "/>");
                else o.copy(c);
            }
        }
        o.close("protocol");
    }
}
