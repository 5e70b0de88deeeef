package org.jvirt.driver.test;

import static org.jvirt.driver.test.TestDomains.checkActive;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jvirt.driver.api.DomainInterface;
import org.jvirt.driver.api.DomainInterface.InterfaceAddress;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.def.Ipv6Text;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.NetworkDriver;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.jvirt.xml.domain.devices.Interface;

/**
 * testDomainInterfaceAddresses: made-up addresses, whatever the source. An interface on a
 * network gets the start of the network's first DHCP range (or its address) plus
 * 20 * (domain id - 1) + index + 1, with the network's prefix; any other gets 192.168.0.(index + 1)/24.
 */
final class TestInterfaceAddresses {

    private TestInterfaceAddresses() { }

    static List<DomainInterface> of(TestDomainObj o, NetworkDriver networks, int source, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testDomainInterfaceAddresses");
        if (source < 0 || source > 2) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_TEST,
                    "Unknown IP address data source " + source);
        }
        checkActive(o);
        List<DomainInterface> out = new ArrayList<>();
        List<Interface> nets = DeviceLookup.interfaces(o.def);
        for (int i = 0; i < nets.size(); i++) {
            Interface net = nets.get(i);
            String name = net.getTarget() == null ? null : net.getTarget().getDev();
            String mac = net.getMac() == null ? null : net.getMac().getAddress();
            InterfaceAddress addr;
            if ("network".equals(net.getType())) {
                String network = net.getSource() == null ? null : net.getSource().getNetwork();
                addr = fromNetwork(networks, network, 20L * (o.id - 1) + i + 1);
            } else {
                addr = new InterfaceAddress(DomainInterface.IP_ADDR_TYPE_IPV4, "192.168.0." + (i + 1), 24);
            }
            out.add(new DomainInterface(name, mac, List.of(addr)));
        }
        return out;
    }

    /** testDomainInterfaceAddressFromNet: the network's first IP definition, offset. */
    private static InterfaceAddress fromNetwork(NetworkDriver networks, String name, long offset) throws LibvirtException {
        String xml = networks.getXMLDesc(networks.lookupByName(name == null ? "" : name), 0);
        Element ip;
        try {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            NodeList ips = doc.getDocumentElement().getElementsByTagName("ip");
            ip = ips.getLength() == 0 ? null : (Element) ips.item(0);
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST, "cannot read network '" + name + "'");
        }
        if (ip == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "network '" + name + "' has no IP address");
        }
        NodeList ranges = ip.getElementsByTagName("range");
        String start = ranges.getLength() > 0 ? ((Element) ranges.item(0)).getAttribute("start") : ip.getAttribute("address");
        boolean v6 = "ipv6".equals(ip.getAttribute("family"));
        byte[] bytes = literal(start);
        if (v6) {
            bytes[15] += (byte) offset; // as libvirt: the last byte alone, wrapping
        } else {
            long v = (new BigInteger(1, bytes).longValue() + offset) & 0xffffffffL;
            bytes = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        String text = v6 ? Ipv6Text.format(bytes) : String.format("%d.%d.%d.%d", bytes[0] & 255, bytes[1] & 255, bytes[2] & 255, bytes[3] & 255);
        return new InterfaceAddress(v6 ? DomainInterface.IP_ADDR_TYPE_IPV6 : DomainInterface.IP_ADDR_TYPE_IPV4, text,
                prefix(ip, literal(ip.getAttribute("address")), v6));
    }

    /** virSocketAddrGetIPPrefix: the prefix given, else the netmask's bits, else the class default (IPv6: 64). */
    private static int prefix(Element ip, byte[] address, boolean v6) throws LibvirtException {
        String p = ip.getAttribute("prefix");
        if (!p.isEmpty() && Integer.parseInt(p) > 0) return Integer.parseInt(p);
        String mask = ip.getAttribute("netmask");
        if (!mask.isEmpty()) return new BigInteger(1, literal(mask)).bitCount();
        if (v6) return 64;
        int first = address[0] & 255;
        if (first == 0) return 0;
        return first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : -1;
    }

    private static byte[] literal(String text) throws LibvirtException {
        try {
            if (text.isEmpty() || !text.matches("[0-9A-Fa-f:.]+")) throw new UnknownHostException(text);
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST, "invalid address '" + text + "'");
        }
    }
}
