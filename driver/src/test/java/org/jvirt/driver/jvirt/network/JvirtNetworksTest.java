package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.jvirt.JvirtPaths;
import org.jvirt.driver.spi.NetworkRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network driver's files and answers that need no bridge (no root, no namespace): a
 * network on an existing host bridge (forward mode='bridge') starts without making anything,
 * the bridge a domain's interface joins, the system URI's default network, state seen by a
 * second driver instance (another client) and libvirt's errors.
 */
class JvirtNetworksTest {

    private static JvirtNetworks driver(Path root) {
        return new JvirtNetworks(JvirtPaths.embed(root), UUID::randomUUID, () -> () -> { });
    }

    private static final String HOST_BRIDGE = "<network>\n  <name>lan</name>\n  <forward mode='bridge'/>\n  <bridge name='br-lan'/>\n</network>\n";

    @Test
    void aNetworkOnAHostBridgeAndTheBridgeForAnInterface(@TempDir Path root) throws Exception {
        JvirtNetworks a = driver(root);
        LibvirtException missing = assertThrows(LibvirtException.class, () -> a.bridgeForInterface("lan"));
        assertEquals(ErrorNumber.VIR_ERR_NO_NETWORK, missing.code());
        assertEquals("Network not found: no network with matching name 'lan'", missing.getMessage());
        NetworkRef lan = a.defineXML(HOST_BRIDGE, 0);
        assertTrue(Files.isRegularFile(root.resolve("config/networks/lan.xml")));
        LibvirtException inactive = assertThrows(LibvirtException.class, () -> a.bridgeForInterface("lan"));
        assertEquals(ErrorNumber.VIR_ERR_OPERATION_INVALID, inactive.code());
        assertEquals("Requested operation is not valid: network 'lan' is not active", inactive.getMessage());
        a.create(lan);
        assertTrue(Files.isRegularFile(root.resolve("run/network/lan.xml")), "the status file");
        // another client (a second driver on the same files) sees it active
        JvirtNetworks b = driver(root);
        assertTrue(b.isActive(b.lookupByName("lan")));
        assertEquals("br-lan", b.bridgeForInterface("lan"));
        assertEquals("Requested operation is not valid: network is already active", assertThrows(LibvirtException.class, () -> b.create(lan)).getMessage());
        b.destroy(lan);
        assertFalse(a.isActive(lan));
        assertEquals("Requested operation is not valid: network 'lan' is not active", assertThrows(LibvirtException.class, () -> a.destroy(lan)).getMessage());
        a.setAutostart(lan, true);
        assertTrue(Files.isSymbolicLink(root.resolve("config/networks/autostart/lan.xml")));
        a.undefine(lan);
        assertFalse(Files.exists(root.resolve("config/networks/autostart/lan.xml"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(a.listAll(0).isEmpty());
    }

    @Test
    void theDefaultNetworkIsDefinedOnceWithAutostart(@TempDir Path root) throws Exception {
        JvirtNetworks d = driver(root);
        d.defineDefaultOnce();
        NetworkRef def = d.lookupByName("default");
        assertTrue(d.getAutostart(def) && d.isPersistent(def) && !d.isActive(def));
        String xml = d.getXMLDesc(def, 0);
        assertTrue(xml.startsWith("<network>\n  <name>default</name>\n  <uuid>" + def.uuid() + "</uuid>\n  <forward mode='nat'/>\n"
                + "  <bridge name='virbr0' stp='on' delay='0'/>\n  <mac address='52:54:00:"), xml);
        assertTrue(xml.endsWith("'/>\n  <ip address='192.168.122.1' netmask='255.255.255.0'>\n    <dhcp>\n"
                + "      <range start='192.168.122.2' end='192.168.122.254'/>\n    </dhcp>\n  </ip>\n</network>\n"), xml);
        // undefined by its owner, it is not brought back by the next open
        d.setAutostart(def, false);
        d.undefine(def);
        driver(root).defineDefaultOnce();
        assertTrue(d.listAll(0).isEmpty());
    }

    @Test
    void libvirtsErrorsForDefinitionsAndUpdates(@TempDir Path root) throws Exception {
        JvirtNetworks d = driver(root);
        NetworkRef lan = d.defineXML(HOST_BRIDGE, 0);
        LibvirtException nameTaken = assertThrows(LibvirtException.class,
                () -> d.defineXML("<network><name>lan</name><uuid>11111111-2222-3333-4444-555555555555</uuid></network>", 0));
        assertEquals("operation failed: network 'lan' already exists with uuid " + lan.uuid(), nameTaken.getMessage());
        assertEquals("Requested operation is not valid: cannot set autostart for transient network", assertThrows(LibvirtException.class,
                () -> d.setAutostart(d.createXML("<network><name>t</name><forward mode='bridge'/><bridge name='br-t'/></network>", 0), true)).getMessage());
        assertEquals("Requested operation is not valid: can't undefine transient network", assertThrows(LibvirtException.class, () -> d.undefine(d.lookupByName("t"))).getMessage());
        d.destroy(d.lookupByName("t"));
        assertThrows(LibvirtException.class, () -> d.lookupByName("t"));
        assertEquals("Requested operation is not valid: network is not running", assertThrows(LibvirtException.class,
                () -> d.update(lan, 3, 4, -1, "<host mac='52:54:00:00:00:01' ip='10.0.0.2'/>", 1)).getMessage());
        LibvirtException section = assertThrows(LibvirtException.class, () -> d.update(lan, 3, 10, -1, "<host/>", 2));
        assertEquals(ErrorNumber.VIR_ERR_NO_SUPPORT, section.code());
        assertEquals("unsupported flags (0x4) in function networkGetXMLDesc",
                assertThrows(LibvirtException.class, () -> d.getXMLDesc(lan, 4)).getMessage());
    }

    @Test
    void namesAndValuesThatCouldEscape(@TempDir Path root) throws Exception {
        JvirtNetworks d = driver(root);
        // ".." is a name like any other: its file is "...xml" in the networks directory
        NetworkRef dots = d.defineXML("<network><name>..</name><forward mode='bridge'/><bridge name='br0'/></network>", 0);
        assertTrue(Files.isRegularFile(root.resolve("config/networks/...xml")));
        assertEquals(dots, d.lookupByName(".."));
        assertEquals("Requested operation is not valid: network '..' is not active",
                assertThrows(LibvirtException.class, () -> d.bridgeForInterface("..")).getMessage());
        // a line break in a value would add a dnsmasq option of its own
        org.jvirt.driver.objxml.NetworkDef def = org.jvirt.driver.objxml.NetworkDef.parse(
                "<network><name>x</name><bridge name='virbr9'/><domain name='a&#10;dhcp-script=/bin/sh'/>"
                        + "<ip address='10.1.0.1' prefix='24'/></network>", UUID::randomUUID);
        LibvirtException e = assertThrows(LibvirtException.class,
                () -> DnsmasqConf.contents(def, IpDef.of(def), NetworkPaths.of(JvirtPaths.embed(root))));
        assertEquals("XML error: domain name 'a?dhcp-script=/bin/sh' contains a control character", e.getMessage());
        LibvirtException bridge = assertThrows(LibvirtException.class, () -> BridgeDevice.checkName("-x"));
        assertEquals(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, bridge.code());
        BridgeDevice.checkName("virbr0");
    }
}
