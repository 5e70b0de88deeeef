package org.jvirt.driver.jvirt.network;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;

import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.driver.objxml.ObjectXml;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * The dnsmasq configuration libvirt 9.0 writes for a network (networkDnsmasqConfContents), line
 * for line for what jvirt supports: the domain, isolated networks' empty default route and
 * no-resolv, one dhcp-range per range (or a static one for hosts only), the lease limit, the
 * hosts file of {@code <host>} entries and the additional hosts file. Compared with the file
 * the real libvirtd writes by JvirtNetworkParityTest. DNS: forwarders (server=, no-resolv), the
 * additional hosts file of {@code <dns><host>}, port=0 for {@code <dns enable='no'>}. Not
 * written yet: IPv6, txt/srv records, tftp and bootp, lease times.
 */
final class DnsmasqConf {

    private DnsmasqConf() { }

    /**
     * A value written into a configuration line: one with a line break or another control
     * character would add lines of its own (a dnsmasq option run as root), so it is refused.
     */
    static String value(String what, String v) throws LibvirtException {
        if (v != null && v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    what + " '" + v.replaceAll("\\p{Cntrl}", "?") + "' contains a control character");
        }
        return v;
    }

    static String contents(NetworkDef def, List<IpDef> ips, NetworkPaths paths) throws LibvirtException {
        StringBuilder b = new StringBuilder();
        b.append("##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n")
                .append("##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:\n")
                .append("##    virsh net-edit ").append(def.name()).append('\n')
                .append("## or other application using the libvirt API.\n")
                .append("##\n## dnsmasq conf file created by libvirt\n")
                .append("strict-order\n");
        Element dns = child(def.document(), "dns");
        boolean wantDns = wantDns(def);
        // dns enable='no': port 0, dnsmasq does no DNS
        if (!wantDns) b.append("port=0\n");
        if (wantDns && dns != null) {
            // an address without a domain answers every request: the host's resolv.conf is not read
            boolean noResolv = false;
            for (Element f : ObjectXml.children(dns)) {
                if (!f.name.equals("forwarder")) continue;
                b.append("server=");
                String fwdDomain = value("forwarder domain", attr(f, "domain"));
                String addr = value("forwarder addr", attr(f, "addr"));
                if (fwdDomain != null) b.append('/').append(fwdDomain).append('/');
                if (addr != null) {
                    b.append(addr).append('\n');
                    if (fwdDomain == null) noResolv = true;
                } else {
                    b.append("#\n"); // "do not forward requests for this domain"
                }
            }
            if (noResolv) b.append("no-resolv\n");
        }
        Element domain = child(def.document(), "domain");
        if (domain != null && attr(domain, "name") != null) {
            String name = value("domain name", attr(domain, "name"));
            if ("yes".equals(attr(domain, "localOnly"))) b.append("local=/").append(name).append("/\n");
            b.append("domain=").append(name).append("\nexpand-hosts\n");
        }
        b.append("pid-file=").append(paths.pidFile(def.name())).append('\n');
        b.append("except-interface=lo\nbind-dynamic\n");
        b.append("interface=").append(def.bridgeName()).append('\n');
        if (def.forwardMode().equals("none")) b.append("dhcp-option=3\nno-resolv\nra-param=*,0,0\n");
        IpDef dhcp = dhcpIp(ips);
        long leases = 0;
        if (dhcp != null) {
            for (IpDef.Range r : dhcp.ranges()) {
                b.append("dhcp-range=").append(r.start()).append(',').append(r.end()).append(',').append(dhcp.netmask()).append('\n');
                leases += r.size();
            }
            if (dhcp.ranges().isEmpty() && !dhcp.hosts().isEmpty()) b.append("dhcp-range=").append(dhcp.address()).append(",static\n");
            if (!dhcp.ranges().isEmpty() || !dhcp.hosts().isEmpty()) b.append("dhcp-no-override\ndhcp-authoritative\n");
        }
        if (leases > 0) b.append("dhcp-lease-max=").append(leases).append('\n');
        if (dhcp != null) b.append("dhcp-hostsfile=").append(paths.hostsFile(def.name())).append('\n');
        if (wantDns) b.append("addn-hosts=").append(paths.addnHosts(def.name())).append('\n');
        return b.toString();
    }

    /** False for {@code <dns enable='no'>}. */
    static boolean wantDns(NetworkDef def) {
        Element dns = child(def.document(), "dns");
        return dns == null || !"no".equals(attr(dns, "enable"));
    }

    /** The additional hosts file: each {@code <dns><host ip>} as "IP\tNAME\t...\t" (addnhostsWrite's lines). */
    static String addnHosts(NetworkDef def) throws LibvirtException {
        Element dns = child(def.document(), "dns");
        StringBuilder b = new StringBuilder();
        if (dns == null) return "";
        for (Element h : ObjectXml.children(dns)) {
            if (!h.name.equals("host") || attr(h, "ip") == null) continue;
            b.append(value("dns host ip", attr(h, "ip"))).append('\t');
            for (Element n : ObjectXml.children(h)) {
                if (n.name.equals("hostname")) b.append(value("dns hostname", ObjectXml.text(n))).append('\t');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The IPv4 address whose DHCP dnsmasq serves (libvirt serves one per family: the first with a {@code <dhcp>}). */
    static IpDef dhcpIp(List<IpDef> ips) {
        for (IpDef d : ips) if (d.hasDhcp()) return d;
        return null;
    }

    /** The dhcp-hostsfile: one line per host, "MAC,IP,NAME", "MAC,IP" or "NAME,IP" (virNetworkDHCPHostsAdd's forms). */
    static String hostsFile(List<IpDef> ips) throws LibvirtException {
        IpDef dhcp = dhcpIp(ips);
        StringBuilder b = new StringBuilder();
        if (dhcp == null) return "";
        for (IpDef.Host h : dhcp.hosts()) {
            if (h.ip() == null) continue;
            value("host mac", h.mac());
            value("host name", h.name());
            value("host ip", h.ip());
            if (h.mac() != null) {
                b.append(h.mac()).append(',').append(h.ip());
                if (h.name() != null) b.append(',').append(h.name());
            } else {
                b.append(h.name()).append(',').append(h.ip());
            }
            b.append('\n');
        }
        return b.toString();
    }
}
