package org.jvirt.driver.spi;

import static org.jvirt.driver.spi.DriverConnection.unsupported;

import java.util.List;
import org.jvirt.driver.api.LibvirtException;

/** libvirt's virNodeDeviceDriver table (host devices, by name); the defaults fail as a missing entry does. */
public interface NodeDeviceDriver {

    /** The table of a driver that has no node device backend. */
    NodeDeviceDriver NONE = new NodeDeviceDriver() { };

    /** virConnectListAllNodeDevices with Flags.ListAllNodeDevices filters: device names. */
    default List<String> listAll(int flags) throws LibvirtException { throw unsupported("virConnectListAllNodeDevices"); }

    default int numOfDevices(String cap, int flags) throws LibvirtException { throw unsupported("virNodeNumOfDevices"); }

    /** The device's name as stored (virNodeDeviceLookupByName). */
    default String lookupByName(String name) throws LibvirtException { throw unsupported("virNodeDeviceLookupByName"); }

    default String getXMLDesc(String name, int flags) throws LibvirtException { throw unsupported("virNodeDeviceGetXMLDesc"); }

    /** The name of the SCSI host with this WWN pair (virNodeDeviceLookupSCSIHostByWWN). */
    default String lookupSCSIHostByWWN(String wwnn, String wwpn, int flags) throws LibvirtException {
        throw unsupported("virNodeDeviceLookupSCSIHostByWWN");
    }

    default boolean isActive(String name) throws LibvirtException { throw unsupported("virNodeDeviceIsActive"); }

    default boolean isPersistent(String name) throws LibvirtException { throw unsupported("virNodeDeviceIsPersistent"); }

    default boolean getAutostart(String name) throws LibvirtException { throw unsupported("virNodeDeviceGetAutostart"); }

    /** Detaches the device from its host driver (virNodeDeviceDettach; with a driver name virNodeDeviceDetachFlags). */
    default void detach(String name, String driverName, int flags) throws LibvirtException {
        throw unsupported(driverName == null ? "virNodeDeviceDettach" : "virNodeDeviceDetachFlags");
    }

    default void reAttach(String name) throws LibvirtException { throw unsupported("virNodeDeviceReAttach"); }

    default void reset(String name) throws LibvirtException { throw unsupported("virNodeDeviceReset"); }

    default void undefine(String name, int flags) throws LibvirtException { throw unsupported("virNodeDeviceUndefine"); }

    /** Starts a defined, inactive device (virNodeDeviceCreate). */
    default void create(String name, int flags) throws LibvirtException { throw unsupported("virNodeDeviceCreate"); }

    default void setAutostart(String name, boolean autostart) throws LibvirtException { throw unsupported("virNodeDeviceSetAutostart"); }

    /** The parent's name, or null. */
    default String getParent(String name) throws LibvirtException { throw unsupported("virNodeDeviceGetParent"); }
}
