package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.DomainInterface;
import org.jvirt.driver.api.DomainInterface.InterfaceAddress;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NetworkDHCPLease;
import org.jvirt.driver.def.NetDefaults;
import org.jvirt.driver.spi.NetworkDriver;
import org.jvirt.xml.domain.devices.Interface;

/**
 * A running domain's addresses as libvirt finds them without asking the guest: from the DHCP
 * leases of the virtual networks its interfaces are on (virDomainNetDHCPInterfaces) or from
 * the host's ARP table (virDomainNetARPInterfaces), matched by MAC address. jvirt has no guest
 * agent: that source is refused as QEMU's driver refuses it for a domain without one.
 */
final class GuestAddresses {

    static final Path PROC_NET_ARP = Path.of("/proc/net/arp");

    private GuestAddresses() { }

    /** qemuDomainInterfaceAddresses after its checks: source 0 lease, 1 agent, 2 arp. */
    static List<DomainInterface> of(List<Interface> nets, int source, NetworkDriver networks, Path procNetArp) throws LibvirtException {
        switch (source) {
            case 0: return fromLeases(nets, networks);
            case 1: throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "QEMU guest agent is not configured");
            case 2: return fromArp(nets, readArp(procNetArp));
            default: throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "Unknown IP address data source " + source);
        }
    }

    /** Each interface on a network with leases for its MAC: one entry, an address per lease. */
    static List<DomainInterface> fromLeases(List<Interface> nets, NetworkDriver networks) throws LibvirtException {
        List<DomainInterface> out = new ArrayList<>();
        for (Interface n : nets) {
            if (!"network".equals(n.getType())) continue;
            String mac = mac(n);
            String network = n.getSource() == null ? "" : n.getSource().getNetwork();
            List<NetworkDHCPLease> leases = networks.getDHCPLeases(networks.lookupByName(network), mac, 0);
            if (leases.isEmpty()) continue;
            List<InterfaceAddress> addrs = new ArrayList<>();
            for (NetworkDHCPLease l : leases) addrs.add(new InterfaceAddress(l.type(), l.ipaddr(), l.prefix()));
            out.add(new DomainInterface(target(n), mac, addrs));
        }
        return out;
    }

    /** An entry per ARP row whose hardware address is an interface's MAC (IPv4, prefix 0, as libvirt reports them). */
    static List<DomainInterface> fromArp(List<Interface> nets, List<String[]> arp) {
        List<DomainInterface> out = new ArrayList<>();
        for (Interface n : nets) {
            String mac = mac(n);
            for (String[] row : arp) {
                if (row[1].equals(mac)) {
                    out.add(new DomainInterface(target(n), mac, List.of(new InterfaceAddress(DomainInterface.IP_ADDR_TYPE_IPV4, row[0], 0))));
                }
            }
        }
        return out;
    }

    /** /proc/net/arp's rows as {IP address, HW address}; the header and malformed rows are skipped. */
    static List<String[]> parseArp(String text) {
        List<String[]> rows = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].strip().split("\\s+");
            if (f.length < 6 || !f[0].matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) continue;
            byte[] hw = NetDefaults.parse(f[3]);
            if (hw == null) continue;
            rows.add(new String[] {f[0], NetDefaults.format(hw)});
        }
        return rows;
    }

    private static List<String[]> readArp(Path procNetArp) throws LibvirtException {
        try {
            return parseArp(Files.readString(procNetArp));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE,
                    "unable to read the ARP table: " + e.getMessage());
        }
    }

    /** virMacAddrFormat of the interface's MAC. */
    private static String mac(Interface n) {
        String m = n.getMac() == null ? null : n.getMac().getAddress();
        byte[] b = m == null ? null : NetDefaults.parse(m);
        return b == null ? m : NetDefaults.format(b);
    }

    private static String target(Interface n) {
        return n.getTarget() == null ? null : n.getTarget().getDev();
    }
}
