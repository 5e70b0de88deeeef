package org.jvirt.driver.api;

import org.jvirt.driver.spi.NetworkDriver;
import org.jvirt.driver.spi.NetworkRef;

/** A virtual network handle (virNetwork), shaped after libvirt-java's {@code org.libvirt.Network}. */
public class Network {

    private final Connect conn;
    private final NetworkRef ref;

    Network(Connect conn, NetworkRef ref) {
        this.conn = conn;
        this.ref = ref;
    }

    private NetworkDriver d() throws LibvirtException { return conn.driver().networks(); }

    public NetworkRef ref() { return ref; }

    public Connect getConnect() { return conn; }

    public String getName() { return ref.name(); }

    public String getUUIDString() { return ref.uuid(); }

    /** The XML description (flags: 1 = VIR_NETWORK_XML_INACTIVE). */
    public String getXMLDesc(int flags) throws LibvirtException { return d().getXMLDesc(ref, flags); }

    public String getBridgeName() throws LibvirtException { return d().getBridgeName(ref); }

    public boolean getAutostart() throws LibvirtException { return d().getAutostart(ref); }

    public void setAutostart(boolean autostart) throws LibvirtException {
        conn.checkWritable("virNetworkSetAutostart");
        d().setAutostart(ref, autostart);
    }

    /** 1 when active, 0 otherwise (libvirt-java returns int). */
    public int isActive() throws LibvirtException { return d().isActive(ref) ? 1 : 0; }

    public int isPersistent() throws LibvirtException { return d().isPersistent(ref) ? 1 : 0; }

    /** The network's DHCP leases, of one MAC address when mac is not null (virNetworkGetDHCPLeases). */
    public java.util.List<NetworkDHCPLease> getDHCPLeases(String mac, int flags) throws LibvirtException {
        return d().getDHCPLeases(ref, mac, flags);
    }

    /** Starts the defined network (virNetworkCreate). */
    public int create() throws LibvirtException {
        conn.checkWritable("virNetworkCreate");
        d().create(ref);
        return 0;
    }

    public int destroy() throws LibvirtException {
        conn.checkWritable("virNetworkDestroy");
        d().destroy(ref);
        return 0;
    }

    public int undefine() throws LibvirtException {
        conn.checkWritable("virNetworkUndefine");
        d().undefine(ref);
        return 0;
    }

    /**
     * virNetworkUpdate (libvirt-java: update): command, section (Flags.NetworkUpdate values),
     * parentIndex (-1: the most fitting {@code <ip>}), the element's XML, flags 1 = live, 2 = config.
     */
    public int update(int command, int section, int parentIndex, String xml, int flags) throws LibvirtException {
        conn.checkWritable("virNetworkUpdate");
        d().update(ref, command, section, parentIndex, xml, flags);
        return 0;
    }
}
