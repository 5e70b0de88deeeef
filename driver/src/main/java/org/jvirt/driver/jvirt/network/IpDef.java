package org.jvirt.driver.jvirt.network;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;
import static org.jvirt.driver.objxml.ObjectXml.children;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * One IPv4 {@code <ip>} of a network (virNetworkIPDef) as the driver uses it: address, prefix
 * (from prefix or netmask; 24 for a class C when neither is given, as libvirt's
 * virSocketAddrGetIPPrefix), DHCP ranges and static hosts. IPv6 addresses are not handled yet.
 */
record IpDef(Ipv4 address, int prefix, List<Range> ranges, List<Host> hosts, boolean hasDhcp) {

    record Range(Ipv4 start, Ipv4 end) {
        long size() { return end.unsigned() - start.unsigned() + 1; }
    }

    record Host(String mac, String name, String ip) { }

    /** The IPv4 {@code <ip>} elements of def, in order. */
    static List<IpDef> of(NetworkDef def) throws LibvirtException {
        List<IpDef> out = new ArrayList<>();
        for (Element ip : children(def.document())) {
            if (!ip.name.equals("ip")) continue;
            String family = attr(ip, "family");
            if (family != null && !family.equals("ipv4")) continue;
            Ipv4 address = Ipv4.parseOrNull(attr(ip, "address"));
            if (address == null) continue;
            out.add(new IpDef(address, prefix(ip, address), ranges(ip), hosts(ip), child(ip, "dhcp") != null));
        }
        return out;
    }

    private static int prefix(Element ip, Ipv4 address) throws LibvirtException {
        if (attr(ip, "prefix") != null) return Integer.parseInt(attr(ip, "prefix").trim());
        if (attr(ip, "netmask") != null) return Ipv4.prefixOf(Ipv4.parse(attr(ip, "netmask")));
        int first = (address.bits() >>> 24) & 255;
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }

    private static List<Range> ranges(Element ip) throws LibvirtException {
        List<Range> out = new ArrayList<>();
        Element dhcp = child(ip, "dhcp");
        if (dhcp == null) return out;
        for (Element r : children(dhcp)) {
            if (r.name.equals("range")) out.add(new Range(Ipv4.parse(attr(r, "start")), Ipv4.parse(attr(r, "end"))));
        }
        return out;
    }

    static List<Host> hosts(Element ip) {
        List<Host> out = new ArrayList<>();
        Element dhcp = child(ip, "dhcp");
        if (dhcp == null) return out;
        for (Element h : children(dhcp)) if (h.name.equals("host")) out.add(host(h));
        return out;
    }

    static Host host(Element h) {
        return new Host(attr(h, "mac"), attr(h, "name"), attr(h, "ip"));
    }

    Ipv4 network() { return address.network(prefix); }

    Ipv4 netmask() { return Ipv4.netmask(prefix); }

    /** NETWORK/PREFIX, as iptables rules name the subnet. */
    String subnet() { return network() + "/" + prefix; }
}
