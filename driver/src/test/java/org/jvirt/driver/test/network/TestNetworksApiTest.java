package org.jvirt.driver.test.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllNetworks;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.Network;
import org.junit.jupiter.api.Test;

/** Networks of test:///default through the libvirt-java shaped API, as libvirt's test driver has them. */
class TestNetworksApiTest {

    private static final String ROUTED = "<network><name>net1</name><forward mode='route'/>"
            + "<bridge name='virbr5'/><ip address='10.0.5.1' netmask='255.255.255.0'/></network>";

    @Test
    void theDefaultNetworkIsActivePersistentAndFormattedAsLibvirtDoes() throws LibvirtException {
        Connect c = new Connect("test:///default");
        Network n = c.networkLookupByName("default");
        assertEquals("dd8fe884-6c02-601e-7551-cca97df1c5df", n.getUUIDString());
        assertEquals(1, n.isActive());
        assertEquals(1, n.isPersistent());
        assertEquals("virbr0", n.getBridgeName());
        assertArrayEquals(new String[] {"default"}, c.listNetworks());
        assertEquals("<network>\n  <name>default</name>\n  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
                + "  <forward mode='nat'/>\n  <bridge name='virbr0' stp='on' delay='0'/>\n"
                + "  <ip address='192.168.122.1' netmask='255.255.255.0'>\n    <dhcp>\n"
                + "      <range start='192.168.122.2' end='192.168.122.254'/>\n    </dhcp>\n  </ip>\n</network>\n",
                n.getXMLDesc(0));
    }

    @Test
    void defineStartDestroyUndefine() throws LibvirtException {
        Connect c = new Connect("test:///default");
        Network n = c.networkDefineXML(ROUTED);
        assertArrayEquals(new String[] {"net1"}, c.listDefinedNetworks());
        n.create();
        assertEquals(2, c.numOfNetworks());
        LibvirtException again = assertThrows(LibvirtException.class, n::create);
        assertEquals("Requested operation is not valid: Network 'net1' is already running", again.getMessage());
        LibvirtException running = assertThrows(LibvirtException.class, n::undefine);
        assertEquals("Requested operation is not valid: Network 'net1' is still running", running.getMessage());
        n.destroy();
        n.undefine();
        LibvirtException gone = assertThrows(LibvirtException.class, () -> c.networkLookupByName("net1"));
        assertEquals(ErrorNumber.VIR_ERR_NO_NETWORK, gone.code());
        assertEquals("Network not found: no network with matching name 'net1'", gone.getMessage());
    }

    @Test
    void aTransientNetworkGoesAwayWhenDestroyed() throws LibvirtException {
        Connect c = new Connect("test:///default");
        Network n = c.networkCreateXML("<network><name>iso</name></network>");
        assertEquals(0, n.isPersistent());
        assertEquals(2, c.listAllNetworks(ListAllNetworks.TRANSIENT | ListAllNetworks.PERSISTENT).length);
        assertEquals("iso", c.listAllNetworks(ListAllNetworks.TRANSIENT)[0].getName());
        n.destroy();
        assertTrue(Arrays.stream(c.listAllNetworks(0)).noneMatch(x -> x.getName().equals("iso")));
    }

    @Test
    void duplicatesAndBadDefinitionsAreRefusedInLibvirtsWords() throws LibvirtException {
        Connect c = new Connect("test:///default");
        assertEquals("operation failed: network 'default' already exists with uuid dd8fe884-6c02-601e-7551-cca97df1c5df",
                assertThrows(LibvirtException.class, () -> c.networkDefineXML("<network><name>default</name></network>")).getMessage());
        assertEquals("operation failed: network 'default' is already defined with uuid dd8fe884-6c02-601e-7551-cca97df1c5df",
                assertThrows(LibvirtException.class, () -> c.networkDefineXML(
                        "<network><name>x</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid></network>")).getMessage());
        assertEquals("unsupported configuration: unknown forwarding type 'bogus'",
                assertThrows(LibvirtException.class, () -> c.networkDefineXML(
                        "<network><name>f</name><forward mode='bogus'/></network>")).getMessage());
        assertEquals("missing name information",
                assertThrows(LibvirtException.class, () -> c.networkDefineXML("<network/>")).getMessage());
    }

    @Test
    void aReadOnlyConnectionNamesTheApi() throws LibvirtException {
        Connect c = new Connect("test:///default", true);
        assertEquals("operation forbidden: read only access prevents virNetworkDestroy",
                assertThrows(LibvirtException.class, () -> c.networkLookupByName("default").destroy()).getMessage());
    }
}
