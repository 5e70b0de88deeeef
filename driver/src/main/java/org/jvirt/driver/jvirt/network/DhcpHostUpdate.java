package org.jvirt.driver.jvirt.network;

import static org.jvirt.driver.objxml.ObjectXml.child;
import static org.jvirt.driver.objxml.ObjectXml.children;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.driver.objxml.ObjectXml;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * virNetworkUpdate's ip-dhcp-host section (virNetworkDefUpdateIPDHCPHost): add a static host
 * first or last, delete the one that matches, or modify the one with the same MAC, name or IP,
 * with libvirt's checks and messages.
 */
final class DhcpHostUpdate {

    /** virNetworkUpdateCommand. */
    static final int MODIFY = 1, DELETE = 2, ADD_LAST = 3, ADD_FIRST = 4;

    private DhcpHostUpdate() { }

    private static LibvirtException invalid(String m) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_NETWORK, m);
    }

    private static LibvirtException xml(String m) {
        return new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_NETWORK, m);
    }

    static NetworkDef apply(NetworkDef def, int command, int parentIndex, String xml) throws LibvirtException {
        Element given = ObjectXml.parse(xml, "host", "network_update_xml");
        IpDef.Host host = IpDef.host(given);
        String name = def.name();
        if (host.mac() == null && host.name() == null) {
            throw xml("Static host definition in IPv4 network '" + name + "' must have mac or name attribute");
        }
        if (host.mac() != null && !host.mac().matches("(?i)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}")) {
            throw xml("Cannot parse MAC address '" + host.mac() + "' in network '" + name + "'");
        }
        if (host.ip() != null && Ipv4.parseOrNull(host.ip()) == null) {
            throw xml("Invalid IP address in static host definition for network '" + name + "'");
        }
        if (command != DELETE && host.ip() == null) {
            throw xml("Missing IP address in static host definition for network '" + name + "'");
        }
        return def.edited(root -> {
            Element ip = ipElement(root, parentIndex, name);
            Element dhcp = child(ip, "dhcp");
            if (dhcp == null) {
                dhcp = new Element("dhcp");
                ip.children.add(dhcp);
            }
            List<Element> hosts = new ArrayList<>();
            for (Element h : children(dhcp)) if (h.name.equals("host")) hosts.add(h);
            switch (command) {
                case MODIFY -> {
                    Element found = null;
                    for (Element h : hosts) if (sameEntry(host, IpDef.host(h))) { found = h; break; }
                    if (found == null) {
                        throw invalid("couldn't locate an existing dhcp host entry with \"mac='"
                                + (host.mac() == null ? "unknown" : host.mac()) + "'\" \"name='" + orNull(host.name()) + "'\" \"ip='"
                                + orNull(host.ip()) + "'\" in network '" + name + "'");
                    }
                    dhcp.children.set(dhcp.children.indexOf(found), element(host));
                }
                case DELETE -> {
                    Element found = null;
                    for (Element h : hosts) if (matchesForDelete(host, IpDef.host(h))) { found = h; break; }
                    if (found == null) throw invalid("couldn't locate a matching dhcp host entry in network '" + name + "'");
                    dhcp.children.remove(found);
                }
                case ADD_FIRST, ADD_LAST -> {
                    for (Element h : hosts) {
                        IpDef.Host e = IpDef.host(h);
                        if (sameEntry(host, e)) {
                            throw invalid("there is an existing dhcp host entry in network '" + name + "' that matches \"<host mac='"
                                    + orNull(e.mac()) + "' name='" + orNull(e.name()) + "' ip='" + orNull(host.ip()) + "'/>\"");
                        }
                    }
                    if (command == ADD_LAST || hosts.isEmpty()) {
                        dhcp.children.add(element(host));
                    } else {
                        dhcp.children.add(dhcp.children.indexOf(hosts.get(0)), element(host));
                    }
                }
                default -> throw new LibvirtException(ErrorNumber.VIR_ERR_NO_SUPPORT, ErrorDomain.VIR_FROM_NETWORK,
                        "unrecognized network update command code " + command);
            }
        });
    }

    /** virNetworkIPDefByIndex: the parentIndex'th {@code <ip>}, or (-1) the first with DHCP ranges or hosts, else the first. */
    private static Element ipElement(Element root, int parentIndex, String name) throws LibvirtException {
        List<Element> ips = new ArrayList<>();
        for (Element e : children(root)) if (e.name.equals("ip")) ips.add(e);
        if (parentIndex >= 0) {
            if (parentIndex >= ips.size()) {
                throw invalid("couldn't update dhcp host entry - no <ip> element found at index " + parentIndex + " in network '" + name + "'");
            }
            return ips.get(parentIndex);
        }
        for (Element ip : ips) {
            Element dhcp = child(ip, "dhcp");
            if (dhcp != null && children(dhcp).stream().anyMatch(c -> c.name.equals("range") || c.name.equals("host"))) return ip;
        }
        if (ips.isEmpty()) throw invalid("couldn't update dhcp host entry - no <ip> element found in network '" + name + "'");
        return ips.get(0);
    }

    /** The same MAC (any case), the same name or the same IP. */
    private static boolean sameEntry(IpDef.Host a, IpDef.Host b) {
        return (a.mac() != null && b.mac() != null && a.mac().equalsIgnoreCase(b.mac()))
                || (a.name() != null && a.name().equals(b.name()))
                || (a.ip() != null && Objects.equals(Ipv4.parseOrNull(a.ip()), Ipv4.parseOrNull(b.ip())));
    }

    /** Each attribute the request gives matches. */
    private static boolean matchesForDelete(IpDef.Host a, IpDef.Host b) {
        return (a.mac() == null || b.mac() == null || a.mac().equalsIgnoreCase(b.mac()))
                && (a.name() == null || a.name().equals(b.name()))
                && (a.ip() == null || Objects.equals(Ipv4.parseOrNull(a.ip()), Ipv4.parseOrNull(b.ip())));
    }

    /** The host as libvirt formats it: mac, name, ip. */
    private static Element element(IpDef.Host h) {
        Element e = new Element("host");
        if (h.mac() != null) e.attributes.add(new String[] {"mac", h.mac()});
        if (h.name() != null) e.attributes.add(new String[] {"name", h.name()});
        if (h.ip() != null) e.attributes.add(new String[] {"ip", h.ip()});
        return e;
    }

    /** How glibc's printf shows a NULL string, as libvirt's messages do. */
    private static String orNull(String s) {
        return s == null ? "(null)" : s;
    }
}
