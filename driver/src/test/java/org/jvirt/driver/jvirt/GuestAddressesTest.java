package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.DomainInterface;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NetworkDHCPLease;
import org.jvirt.driver.spi.NetworkDriver;
import org.jvirt.driver.spi.NetworkRef;
import org.jvirt.xml.domain.devices.Interface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virDomainNetDHCPInterfaces and virDomainNetARPInterfaces over fixed leases and a fixed /proc/net/arp. */
class GuestAddressesTest {

    static final String ARP = """
            IP address       HW type     Flags       HW address            Mask     Device
            192.168.122.45   0x1         0x2         52:54:00:aa:bb:01     *        virbr0
            192.168.122.46   0x1         0x0         00:00:00:00:00:00     *        virbr0
            10.0.0.7         0x1         0x2         52:54:00:AA:BB:02     *        br0
            10.0.0.8         0x1         0x2         52:54:00:aa:bb:02     *        br0
            garbage line
            """;

    @TempDir
    Path dir;

    /** Leases of network 'default' only; lookups of others fail as libvirt's network driver does. */
    static final NetworkDriver NETWORKS = new NetworkDriver() {
        @Override public NetworkRef lookupByName(String name) throws LibvirtException {
            if (!name.equals("default")) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_NETWORK, "no network with matching name '" + name + "'");
            }
            return new NetworkRef("default", "dd8fe884-6c02-601e-7551-cca97df1c5df");
        }

        @Override public List<NetworkDHCPLease> getDHCPLeases(NetworkRef n, String mac, int flags) {
            List<NetworkDHCPLease> all = List.of(
                    new NetworkDHCPLease("virbr0", 0, 0, "52:54:00:aa:bb:01", null, "192.168.122.45", 24, "guest", null),
                    new NetworkDHCPLease("virbr0", 0, 1, "52:54:00:aa:bb:01", null, "fd00::45", 64, "guest", null),
                    new NetworkDHCPLease("virbr0", 0, 0, "52:54:00:aa:bb:09", null, "192.168.122.99", 24, null, null));
            List<NetworkDHCPLease> out = new ArrayList<>();
            for (NetworkDHCPLease l : all) if (mac == null || l.mac().equals(mac)) out.add(l);
            return out;
        }
    };

    static List<Interface> nics(String... xml) throws LibvirtException {
        List<Interface> out = new ArrayList<>();
        for (String x : xml) out.add(NicLinkChanges.parse(x));
        return out;
    }

    @Test
    void leasesByMacOneEntryPerInterfaceWithLeases() throws Exception {
        List<DomainInterface> got = GuestAddresses.fromLeases(nics(
                "<interface type='network'><mac address='52:54:00:AA:BB:01'/><source network='default'/><target dev='vnet0'/></interface>",
                "<interface type='network'><mac address='52:54:00:aa:bb:03'/><source network='default'/><target dev='vnet1'/></interface>",
                "<interface type='bridge'><mac address='52:54:00:aa:bb:09'/><source bridge='br0'/><target dev='vnet2'/></interface>"), NETWORKS);
        assertEquals(1, got.size());
        DomainInterface i = got.get(0);
        assertEquals("vnet0", i.name);
        assertEquals("52:54:00:aa:bb:01", i.hwAddr, "the MAC as libvirt formats it");
        List<DomainInterface.InterfaceAddress> a = new ArrayList<>(i.addrs);
        assertEquals("192.168.122.45", a.get(0).text);
        assertEquals(24, a.get(0).prefixLength);
        assertEquals(DomainInterface.IP_ADDR_TYPE_IPV4, a.get(0).type);
        assertEquals("fd00::45", a.get(1).text);
        assertEquals(DomainInterface.IP_ADDR_TYPE_IPV6, a.get(1).type);
    }

    @Test
    void aMissingNetworkIsLibvirtsError() throws Exception {
        LibvirtException e = assertThrows(LibvirtException.class, () -> GuestAddresses.fromLeases(nics(
                "<interface type='network'><mac address='52:54:00:aa:bb:01'/><source network='gone'/></interface>"), NETWORKS));
        assertEquals("Network not found: no network with matching name 'gone'", e.getMessage());
    }

    @Test
    void arpRowsMatchedByMacEachRowAnEntry() throws Exception {
        Path arp = Files.writeString(dir.resolve("arp"), ARP);
        List<DomainInterface> got = GuestAddresses.of(nics(
                "<interface type='network'><mac address='52:54:00:aa:bb:01'/><source network='default'/><target dev='vnet0'/></interface>",
                "<interface type='bridge'><mac address='52:54:00:aa:bb:02'/><source bridge='br0'/><target dev='vnet1'/></interface>",
                "<interface type='bridge'><mac address='52:54:00:aa:bb:03'/><source bridge='br0'/><target dev='vnet2'/></interface>"),
                2, NETWORKS, arp);
        assertEquals(3, got.size());
        assertEquals(List.of("vnet0", "vnet1", "vnet1"), got.stream().map(i -> i.name).toList());
        assertEquals(List.of("192.168.122.45", "10.0.0.7", "10.0.0.8"), got.stream().map(i -> i.addrs.iterator().next().text).toList());
        assertEquals(0, got.get(0).addrs.iterator().next().prefixLength, "the ARP table knows no prefix");
    }

    @Test
    void noAgentAndUnknownSources() {
        LibvirtException agent = assertThrows(LibvirtException.class, () -> GuestAddresses.of(List.of(), 1, NETWORKS, dir.resolve("arp")));
        assertEquals("argument unsupported: QEMU guest agent is not configured", agent.getMessage());
        LibvirtException other = assertThrows(LibvirtException.class, () -> GuestAddresses.of(List.of(), 7, NETWORKS, dir.resolve("arp")));
        assertEquals("argument unsupported: Unknown IP address data source 7", other.getMessage());
    }
}
