package org.jvirt.driver.spi;

import static org.jvirt.driver.spi.DriverConnection.unsupported;

import java.util.List;
import org.jvirt.driver.api.LibvirtException;

/**
 * libvirt's virNetworkDriver table. A connection without networking keeps every default,
 * which fails as libvirt does for a missing entry, naming the public API.
 */
public interface NetworkDriver {

    /** The table of a driver that has no networking (libvirt: conn->networkDriver == NULL). */
    NetworkDriver NONE = new NetworkDriver() { };

    /** virConnectListAllNetworks with Flags.ListAllNetworks filters. */
    default List<NetworkRef> listAll(int flags) throws LibvirtException { throw unsupported("virConnectListAllNetworks"); }

    default int numOfNetworks() throws LibvirtException { throw unsupported("virConnectNumOfNetworks"); }

    default int numOfDefinedNetworks() throws LibvirtException { throw unsupported("virConnectNumOfDefinedNetworks"); }

    default NetworkRef lookupByName(String name) throws LibvirtException { throw unsupported("virNetworkLookupByName"); }

    default NetworkRef lookupByUUID(String uuid) throws LibvirtException { throw unsupported("virNetworkLookupByUUID"); }

    /** virNetworkDefineXML, or virNetworkDefineXMLFlags when flags (1 = VALIDATE) are given. */
    default NetworkRef defineXML(String xml, int flags) throws LibvirtException {
        throw unsupported(flags == 0 ? "virNetworkDefineXML" : "virNetworkDefineXMLFlags");
    }

    /** virNetworkCreateXML, or virNetworkCreateXMLFlags when flags (1 = VALIDATE) are given. */
    default NetworkRef createXML(String xml, int flags) throws LibvirtException {
        throw unsupported(flags == 0 ? "virNetworkCreateXML" : "virNetworkCreateXMLFlags");
    }

    default void create(NetworkRef n) throws LibvirtException { throw unsupported("virNetworkCreate"); }

    default void destroy(NetworkRef n) throws LibvirtException { throw unsupported("virNetworkDestroy"); }

    default void undefine(NetworkRef n) throws LibvirtException { throw unsupported("virNetworkUndefine"); }

    default String getXMLDesc(NetworkRef n, int flags) throws LibvirtException { throw unsupported("virNetworkGetXMLDesc"); }

    default String getBridgeName(NetworkRef n) throws LibvirtException { throw unsupported("virNetworkGetBridgeName"); }

    default boolean getAutostart(NetworkRef n) throws LibvirtException { throw unsupported("virNetworkGetAutostart"); }

    default void setAutostart(NetworkRef n, boolean autostart) throws LibvirtException { throw unsupported("virNetworkSetAutostart"); }

    default boolean isActive(NetworkRef n) throws LibvirtException { throw unsupported("virNetworkIsActive"); }

    default boolean isPersistent(NetworkRef n) throws LibvirtException { throw unsupported("virNetworkIsPersistent"); }

    /** virNetworkGetDHCPLeases: the leases, of one MAC address when mac is not null. */
    default java.util.List<org.jvirt.driver.api.NetworkDHCPLease> getDHCPLeases(NetworkRef n, String mac, int flags)
            throws LibvirtException {
        throw unsupported("virNetworkGetDHCPLeases");
    }

    /**
     * virNetworkUpdate: command (1 modify, 2 delete, 3 add-last, 4 add-first) on a section (4 =
     * ip-dhcp-host, ...) of the parentIndex'th {@code <ip>} (-1: the most fitting), flags 1 = live, 2 = config.
     */
    default void update(NetworkRef n, int command, int section, int parentIndex, String xml, int flags) throws LibvirtException {
        throw unsupported("virNetworkUpdate");
    }
}
