package org.jvirt.driver.api;

import java.util.List;
import org.jvirt.driver.spi.NodeDeviceDriver;

/** A host device handle (virNodeDevice), shaped after libvirt-java's {@code org.libvirt.Device}. */
public class Device {

    /** Capability names in libvirt's order (virNodeDevCapType); list filter bit = 1 << index. */
    public static final List<String> CAPS = List.of("system", "pci", "usb_device", "usb", "net", "scsi_host",
            "scsi_target", "scsi", "storage", "fc_host", "vports", "scsi_generic", "drm", "mdev_types", "mdev",
            "ccw", "css", "vdpa", "ap_card", "ap_queue", "ap_matrix", "vpd");

    private final Connect conn;
    private final String name;

    Device(Connect conn, String name) {
        this.conn = conn;
        this.name = name;
    }

    private NodeDeviceDriver d() throws LibvirtException { return conn.driver().nodeDevices(); }

    public String getName() { return name; }

    public String getParent() throws LibvirtException { return d().getParent(name); }

    public String getXMLDescription() throws LibvirtException { return d().getXMLDesc(name, 0); }

    public int isActive() throws LibvirtException { return d().isActive(name) ? 1 : 0; }

    public int isPersistent() throws LibvirtException { return d().isPersistent(name) ? 1 : 0; }

    public boolean getAutostart() throws LibvirtException { return d().getAutostart(name); }

    /** Detaches the device from its host driver (virNodeDeviceDettach, libvirt-java's dettach). */
    public int dettach() throws LibvirtException {
        conn.checkWritable("virNodeDeviceDettach");
        d().detach(name, null, 0);
        return 0;
    }

    /** virNodeDeviceDetachFlags with a device assignment driver ("vfio", "xen"). */
    public int detachFlags(String driverName, int flags) throws LibvirtException {
        conn.checkWritable("virNodeDeviceDetachFlags");
        d().detach(name, driverName, flags);
        return 0;
    }

    public int reAttach() throws LibvirtException {
        conn.checkWritable("virNodeDeviceReAttach");
        d().reAttach(name);
        return 0;
    }

    public int reset() throws LibvirtException {
        conn.checkWritable("virNodeDeviceReset");
        d().reset(name);
        return 0;
    }

    public int undefine() throws LibvirtException {
        conn.checkWritable("virNodeDeviceUndefine");
        d().undefine(name, 0);
        return 0;
    }

    /** Starts the defined device (virNodeDeviceCreate). */
    public int create() throws LibvirtException {
        conn.checkWritable("virNodeDeviceCreate");
        d().create(name, 0);
        return 0;
    }

    public void setAutostart(boolean autostart) throws LibvirtException {
        conn.checkWritable("virNodeDeviceSetAutostart");
        d().setAutostart(name, autostart);
    }
}
