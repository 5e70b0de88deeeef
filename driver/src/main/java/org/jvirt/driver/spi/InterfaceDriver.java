package org.jvirt.driver.spi;

import static org.jvirt.driver.spi.DriverConnection.unsupported;

import java.util.List;
import org.jvirt.driver.api.LibvirtException;

/** libvirt's virInterfaceDriver table (host interfaces); the defaults fail as a missing entry does. */
public interface InterfaceDriver {

    /** The table of a driver that has no interface backend. */
    InterfaceDriver NONE = new InterfaceDriver() { };

    /** virConnectListAllInterfaces with Flags.ListAllInterfaces filters. */
    default List<InterfaceRef> listAll(int flags) throws LibvirtException { throw unsupported("virConnectListAllInterfaces"); }

    default int numOfInterfaces() throws LibvirtException { throw unsupported("virConnectNumOfInterfaces"); }

    default int numOfDefinedInterfaces() throws LibvirtException { throw unsupported("virConnectNumOfDefinedInterfaces"); }

    default InterfaceRef lookupByName(String name) throws LibvirtException { throw unsupported("virInterfaceLookupByName"); }

    default InterfaceRef lookupByMACString(String mac) throws LibvirtException { throw unsupported("virInterfaceLookupByMACString"); }

    default String getXMLDesc(InterfaceRef i, int flags) throws LibvirtException { throw unsupported("virInterfaceGetXMLDesc"); }

    default boolean isActive(InterfaceRef i) throws LibvirtException { throw unsupported("virInterfaceIsActive"); }

    /** virInterfaceDefineXML (flags: 1 = VALIDATE). */
    default InterfaceRef defineXML(String xml, int flags) throws LibvirtException { throw unsupported("virInterfaceDefineXML"); }

    default void undefine(InterfaceRef i) throws LibvirtException { throw unsupported("virInterfaceUndefine"); }

    /** Brings the interface up (virInterfaceCreate). */
    default void create(InterfaceRef i, int flags) throws LibvirtException { throw unsupported("virInterfaceCreate"); }

    default void destroy(InterfaceRef i, int flags) throws LibvirtException { throw unsupported("virInterfaceDestroy"); }

    default void changeBegin(int flags) throws LibvirtException { throw unsupported("virInterfaceChangeBegin"); }

    default void changeCommit(int flags) throws LibvirtException { throw unsupported("virInterfaceChangeCommit"); }

    default void changeRollback(int flags) throws LibvirtException { throw unsupported("virInterfaceChangeRollback"); }
}
