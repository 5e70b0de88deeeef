package org.jvirt.driver.test.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Interface;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;

/** Host interfaces of test:///default through the API: define, up/down, and the change transaction. */
class TestInterfacesApiTest {

    private static final String ETH2 = "<interface type='ethernet' name='eth2'><mac address='52:54:00:11:22:33'/>"
            + "<protocol family='ipv4'><ip prefix='24' address='10.0.0.2'/></protocol></interface>";

    @Test
    void defineStartDestroyUndefine() throws LibvirtException {
        Connect c = new Connect("test:///default");
        Interface i = c.interfaceDefineXML(ETH2, 0);
        assertArrayEquals(new String[] {"eth2"}, c.listDefinedInterfaces());
        assertEquals("<interface type='ethernet' name='eth2'>\n  <protocol family='ipv4'>\n"
                + "    <ip address='10.0.0.2' prefix='24'/>\n  </protocol>\n  <mac address='52:54:00:11:22:33'/>\n"
                + "</interface>\n", i.getXMLDescription(0));
        i.create();
        assertEquals("Requested operation is not valid", assertThrows(LibvirtException.class, i::create).getMessage());
        assertEquals("eth2", c.interfaceLookupByMACString("52:54:00:11:22:33").getName());
        i.destroy();
        i.undefine();
        assertEquals("Interface not found: no interface with matching name 'eth2'",
                assertThrows(LibvirtException.class, () -> c.interfaceLookupByName("eth2")).getMessage());
    }

    @Test
    void aRollbackRestoresTheDefinitionsInactive() throws LibvirtException {
        Connect c = new Connect("test:///default");
        assertEquals("Requested operation is not valid: no transaction running, nothing to rollback.",
                assertThrows(LibvirtException.class, c::interfaceChangeRollback).getMessage());
        c.interfaceChangeBegin();
        assertEquals("Requested operation is not valid: there is another transaction running.",
                assertThrows(LibvirtException.class, c::interfaceChangeBegin).getMessage());
        c.interfaceDefineXML(ETH2, 0);
        c.interfaceChangeRollback();
        assertArrayEquals(new String[0], c.listInterfaces());
        assertArrayEquals(new String[] {"eth1"}, c.listDefinedInterfaces());
    }
}
