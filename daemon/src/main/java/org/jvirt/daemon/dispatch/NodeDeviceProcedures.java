package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.Device;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.RemoteNodeDevice;
import org.jvirt.rpc.XdrException;

/**
 * Host (node) devices: listing, lookup, XML, parent, detach/reattach/reset, define/undefine,
 * start, autostart. Their procedures name the device by a bare string, which libvirtd turns
 * into a handle without a lookup (the driver reports a missing device, or a missing entry
 * first); only virNodeDeviceGetParent's dispatcher looks the device up.
 */
final class NodeDeviceProcedures {
    private NodeDeviceProcedures() { }

    /** REMOTE_NODE_DEVICE_LIST_MAX. */
    private static final int LIST_MAX = 65536;

    private static Device device(Call c) throws XdrException {
        return c.conn().nodeDeviceFor(c.readString("name"));
    }

    private static void write(Call c, Device d) {
        new RemoteNodeDevice(d.getName()).encode(c.ret);
    }

    /**
     * libvirtd answers a device without a parent (the driver's "no parent for this device")
     * with no name rather than an error: virNodeDeviceGetParent returns NULL, which is not a failure.
     */
    private static String parentOf(Device d) {
        try {
            return d.getParent();
        } catch (LibvirtException e) {
            return null;
        }
    }

    static void register(ProcedureTable t) {
        t.add(CONNECT_LIST_ALL_NODE_DEVICES, "virConnectListAllNodeDevices", Access.READ, c -> {
            int need = c.readInt();
            c.writeAll(need, c.conn().listAllNodeDevices(c.readInt()), d -> write(c, d));
        });
        // the flags of the old list calls: jvirt's API takes none (libvirt defines none)
        t.add(NODE_NUM_OF_DEVICES, "virNodeNumOfDevices", Access.READ, c -> {
            String cap = c.readOptionalString("cap");
            c.readInt();
            c.ret.writeInt(c.conn().numOfDevices(cap));
        });
        t.add(NODE_LIST_DEVICES, "virNodeListDevices", Access.READ, c -> {
            String cap = c.readOptionalString("cap");
            int max = c.readMaxNames(LIST_MAX, "REMOTE_NODE_DEVICE_LIST_MAX");
            c.readInt();
            c.writeNames(c.conn().listDevices(cap), max);
        });
        t.add(NODE_DEVICE_LOOKUP_BY_NAME, "virNodeDeviceLookupByName", Access.READ,
                c -> write(c, c.conn().deviceLookupByName(c.readString("name"))));
        t.add(NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN, "virNodeDeviceLookupSCSIHostByWWN", Access.READ, c -> {
            String wwnn = c.readString("wwnn");
            String wwpn = c.readString("wwpn");
            c.readInt();
            write(c, c.conn().deviceLookupSCSIHostByWWN(wwnn, wwpn));
        });
        t.add(NODE_DEVICE_GET_XML_DESC, "virNodeDeviceGetXMLDesc", Access.READ, c -> {
            Device d = device(c);
            c.readInt();
            c.ret.writeString(d.getXMLDescription());
        });
        t.add(NODE_DEVICE_GET_PARENT, "virNodeDeviceGetParent", Access.READ,
                c -> c.ret.writeOptionalString(parentOf(c.conn().deviceLookupByName(c.readString("name")))));
        t.add(NODE_DEVICE_IS_ACTIVE, "virNodeDeviceIsActive", Access.READ, c -> c.ret.writeInt(device(c).isActive()));
        t.add(NODE_DEVICE_IS_PERSISTENT, "virNodeDeviceIsPersistent", Access.READ, c -> c.ret.writeInt(device(c).isPersistent()));
        t.add(NODE_DEVICE_GET_AUTOSTART, "virNodeDeviceGetAutostart", Access.READ, c -> c.ret.writeInt(device(c).getAutostart() ? 1 : 0));
        t.add(NODE_DEVICE_SET_AUTOSTART, "virNodeDeviceSetAutostart", Access.WRITE, c -> {
            Device d = device(c);
            d.setAutostart(c.readInt() != 0);
        });
        t.add(NODE_DEVICE_DETTACH, "virNodeDeviceDettach", Access.WRITE, c -> device(c).dettach());
        t.add(NODE_DEVICE_DETACH_FLAGS, "virNodeDeviceDetachFlags", Access.WRITE, c -> {
            Device d = device(c);
            String driverName = c.readOptionalString("driverName");
            d.detachFlags(driverName, c.readInt());
        });
        t.add(NODE_DEVICE_RE_ATTACH, "virNodeDeviceReAttach", Access.WRITE, c -> device(c).reAttach());
        t.add(NODE_DEVICE_RESET, "virNodeDeviceReset", Access.WRITE, c -> device(c).reset());
        t.add(NODE_DEVICE_UNDEFINE, "virNodeDeviceUndefine", Access.WRITE, c -> {
            Device d = device(c);
            c.readInt();
            d.undefine();
        });
        t.add(NODE_DEVICE_CREATE, "virNodeDeviceCreate", Access.WRITE, c -> {
            Device d = device(c);
            c.readInt();
            d.create();
        });
    }
}
