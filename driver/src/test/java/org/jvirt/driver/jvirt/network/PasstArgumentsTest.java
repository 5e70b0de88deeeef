package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.domain.devices.Interface;
import org.junit.jupiter.api.Test;

/**
 * passt's argv against what libvirt 9.0.0's qemuPasstStart builds (src/qemu/qemu_passt.c of
 * v9.0.0; its option strings "--one-off", "--socket", "--mac-addr", "--mtu", "--interface",
 * "--log-file", "--address", "--netmask", "--tcp-ports", "--udp-ports" and "%%%s" are those of
 * Debian's libvirt_driver_qemu.so 9.0.0), the cases worked out from that code: the option order,
 * the netmask only for IPv4, a portForward's address, its dev only after an address, "all"
 * without ranges, and ranges as [~]START[-END][:TO[-TO+END-START]].
 */
class PasstArgumentsTest {
    private static final Path SOCKET = Path.of("/run/jvirt/passt/1-vm-net0.socket");

    private static Interface iface(String xml) throws Exception {
        String domain = "<domain type='qemu'><name>vm</name><memory>65536</memory><os><type>hvm</type></os><devices>" + xml + "</devices></domain>";
        return DomainXml.parse(domain).getDevices().getInterfaces().get(0);
    }

    @Test
    void theSmallestInterfaceGetsSocketAndMac() throws Exception {
        assertEquals(List.of("--one-off", "--socket", SOCKET.toString(), "--mac-addr", "52:54:00:aa:bb:cc"),
                PasstArguments.of(iface("<interface type='user'><mac address='52:54:00:AA:BB:CC'/><backend type='passt'/></interface>"), SOCKET));
    }

    @Test
    void everythingInLibvirtsOrder() throws Exception {
        // the elements in another order than the options: the argv follows the code, not the document
        Interface i = iface("""
                <interface type='user'>
                  <mac address='00:11:22:33:44:55'/>
                  <portForward proto='tcp' address='2001:db8:ac10:fd01:0:0:1:10'>
                    <range start='22' to='2022'/>
                    <range start='1000' end='1050'/>
                    <range start='1020' exclude='yes'/>
                    <range start='1030' end='1040' exclude='yes'/>
                  </portForward>
                  <portForward proto='udp' address='1.2.3.4' dev='eth0'>
                    <range start='5000' end='5020' to='6000'/>
                    <range start='5010' end='5015' exclude='yes'/>
                  </portForward>
                  <portForward proto='tcp'>
                    <range start='80'/>
                  </portForward>
                  <portForward proto='tcp'>
                    <range start='443' to='344'/>
                  </portForward>
                  <ip family='ipv4' address='172.17.2.0' prefix='24'/>
                  <ip family='ipv6' address='2001:db8:ac10:fd01::feed'/>
                  <source dev='eth42'/>
                  <model type='virtio'/>
                  <backend type='passt' logFile='/var/log/loglaw.blog'/>
                  <mtu size='1500'/>
                </interface>""");
        assertEquals(List.of("--one-off", "--socket", SOCKET.toString(), "--mac-addr", "00:11:22:33:44:55",
                "--mtu", "1500", "--interface", "eth42", "--log-file", "/var/log/loglaw.blog",
                "--address", "172.17.2.0", "--netmask", "24", "--address", "2001:db8:ac10:fd01::feed",
                "--tcp-ports", "2001:db8:ac10:fd01::1:10/22:2022,1000-1050,~1020,~1030-1040",
                "--udp-ports", "1.2.3.4%eth0/5000-5020:6000-6020,~5010-5015",
                "--tcp-ports", "80", "--tcp-ports", "443:344"), PasstArguments.of(i, SOCKET));
    }

    @Test
    void aDevWithoutAnAddressIsDroppedAndNoRangesIsAll() throws Exception {
        Interface i = iface("""
                <interface type='user'>
                  <mac address='52:54:00:00:00:01'/>
                  <portForward proto='tcp' dev='eth0'><range start='2222' to='22'/></portForward>
                  <portForward proto='udp' address='10.0.0.1'/>
                  <portForward proto='tcp'/>
                  <ip address='fe80::1' prefix='64'/>
                  <ip address='192.168.1.5' prefix='0'/>
                  <mtu size='0'/>
                </interface>""");
        assertEquals(List.of("--one-off", "--socket", SOCKET.toString(), "--mac-addr", "52:54:00:00:00:01",
                "--address", "fe80::1", "--address", "192.168.1.5",
                "--tcp-ports", "2222:22", "--udp-ports", "10.0.0.1/all", "--tcp-ports", "all"), PasstArguments.of(i, SOCKET));
    }

    @Test
    void ipv6IsWrittenAsInetNtopWritesIt() throws Exception {
        assertEquals("::", PasstArguments.format(java.net.InetAddress.getByName("0:0:0:0:0:0:0:0")));
        assertEquals("2001:db8::1:0:0:1", PasstArguments.format(java.net.InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", PasstArguments.format(java.net.InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("::ffff:1.2.3.4", PasstArguments.format(java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4}, null)));
    }

    @Test
    void aBadProtocolOrAddressIsAnInternalError() throws Exception {
        LibvirtException e = assertThrows(LibvirtException.class, () -> PasstArguments.of(iface(
                "<interface type='user'><mac address='52:54:00:00:00:01'/><portForward proto='sctp'/></interface>"), SOCKET));
        assertEquals("internal error: Invalid portForward proto value sctp", e.getMessage());
        e = assertThrows(LibvirtException.class, () -> PasstArguments.of(iface(
                "<interface type='user'><mac address='52:54:00:00:00:01'/><ip address='example.com'/></interface>"), SOCKET));
        assertEquals("internal error: invalid ip address 'example.com'", e.getMessage());
    }
}
