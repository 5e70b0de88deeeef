package org.jvirt.driver.test.iface;

import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllInterfaces;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.InterfaceDriver;
import org.jvirt.driver.spi.InterfaceRef;

/**
 * The test driver's host interfaces: defaultConnXML's one ethernet interface "eth1", active.
 * Read-only here (iface-define and transactions are not served).
 */
public final class TestInterfaces implements InterfaceDriver {

    private static final InterfaceRef ETH1 = new InterfaceRef("eth1", "aa:bb:cc:dd:ee:ff");

    /** As virInterfaceDefFormat writes defaultConnXML's interface (the MAC moves after the protocol). */
    private static final String ETH1_XML = "<interface type='ethernet' name='eth1'>\n"
            + "  <start mode='onboot'/>\n  <mtu size='1492'/>\n  <protocol family='ipv4'>\n"
            + "    <ip address='192.168.0.5' prefix='24'/>\n    <route gateway='192.168.0.1'/>\n  </protocol>\n"
            + "  <mac address='aa:bb:cc:dd:ee:ff'/>\n</interface>\n";

    @Override
    public List<InterfaceRef> listAll(int flags) throws LibvirtException {
        CheckFlags.check(flags, ListAllInterfaces.ACTIVE | ListAllInterfaces.INACTIVE, "testConnectListAllInterfaces");
        boolean wantActive = (flags & (ListAllInterfaces.ACTIVE | ListAllInterfaces.INACTIVE)) == 0
                || (flags & ListAllInterfaces.ACTIVE) != 0;
        return wantActive ? List.of(ETH1) : List.of();
    }

    @Override public int numOfInterfaces() { return 1; }

    @Override public int numOfDefinedInterfaces() { return 0; }

    @Override
    public InterfaceRef lookupByName(String name) throws LibvirtException {
        if (ETH1.name().equals(name)) return ETH1;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_INTERFACE, ErrorDomain.VIR_FROM_INTERFACE,
                "no interface with matching name '" + name + "'");
    }

    @Override
    public InterfaceRef lookupByMACString(String mac) throws LibvirtException {
        if (ETH1.mac().equalsIgnoreCase(mac)) return ETH1;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_INTERFACE, ErrorDomain.VIR_FROM_INTERFACE,
                "no interface with matching mac '" + mac + "'");
    }

    @Override
    public String getXMLDesc(InterfaceRef i, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testInterfaceGetXMLDesc");
        lookupByName(i.name());
        return ETH1_XML;
    }

    @Override
    public boolean isActive(InterfaceRef i) throws LibvirtException {
        lookupByName(i.name());
        return true;
    }
}
