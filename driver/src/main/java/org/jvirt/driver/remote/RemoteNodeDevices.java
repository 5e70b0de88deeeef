package org.jvirt.driver.remote;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.NodeDeviceDriver;
import org.jvirt.rpc.XdrWriter;

/** The daemon's node device driver (NODE_DEVICE_*; a device is its name on the wire). */
final class RemoteNodeDevices implements NodeDeviceDriver {
    /** REMOTE_NODE_DEVICE_LIST_MAX. */
    private static final int LIST_MAX = 65536;

    private final RpcClient rpc;

    RemoteNodeDevices(RpcClient rpc) {
        this.rpc = rpc;
    }

    private static XdrWriter named(String name) {
        return new XdrWriter().writeString(name);
    }

    private void call(int proc, XdrWriter args) throws LibvirtException {
        rpc.call(proc, args, ReplyDecoder.NONE);
    }

    private boolean flag(int proc, String name) throws LibvirtException {
        return rpc.call(proc, named(name), r -> r.readInt()) != 0;
    }

    @Override
    public List<String> listAll(int flags) throws LibvirtException {
        return rpc.call(CONNECT_LIST_ALL_NODE_DEVICES, new XdrWriter().writeInt(1).writeInt(flags), r -> {
            int n = r.readCount(LIST_MAX, 4, "node devices");
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(r.readString("device name"));
            r.readInt(); // the count again
            return out;
        });
    }

    @Override
    public int numOfDevices(String cap, int flags) throws LibvirtException {
        return rpc.call(NODE_NUM_OF_DEVICES, new XdrWriter().writeOptionalString(cap).writeInt(flags), r -> r.readInt());
    }

    @Override public String lookupByName(String name) throws LibvirtException { return rpc.call(NODE_DEVICE_LOOKUP_BY_NAME, named(name), r -> r.readString("device name")); }

    @Override
    public String getXMLDesc(String name, int flags) throws LibvirtException {
        return rpc.call(NODE_DEVICE_GET_XML_DESC, named(name).writeInt(flags), r -> r.readString("xml"));
    }

    @Override
    public String lookupSCSIHostByWWN(String wwnn, String wwpn, int flags) throws LibvirtException {
        return rpc.call(NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN, named(wwnn).writeString(wwpn).writeInt(flags), r -> r.readString("device name"));
    }

    @Override public boolean isActive(String name) throws LibvirtException { return flag(NODE_DEVICE_IS_ACTIVE, name); }

    @Override public boolean isPersistent(String name) throws LibvirtException { return flag(NODE_DEVICE_IS_PERSISTENT, name); }

    @Override public boolean getAutostart(String name) throws LibvirtException { return flag(NODE_DEVICE_GET_AUTOSTART, name); }

    @Override
    public void detach(String name, String driverName, int flags) throws LibvirtException {
        if (driverName == null && flags == 0) call(NODE_DEVICE_DETTACH, named(name));
        else call(NODE_DEVICE_DETACH_FLAGS, named(name).writeOptionalString(driverName).writeInt(flags));
    }

    @Override public void reAttach(String name) throws LibvirtException { call(NODE_DEVICE_RE_ATTACH, named(name)); }

    @Override public void reset(String name) throws LibvirtException { call(NODE_DEVICE_RESET, named(name)); }

    @Override public void undefine(String name, int flags) throws LibvirtException { call(NODE_DEVICE_UNDEFINE, named(name).writeInt(flags)); }

    @Override public void create(String name, int flags) throws LibvirtException { call(NODE_DEVICE_CREATE, named(name).writeInt(flags)); }

    @Override public void setAutostart(String name, boolean autostart) throws LibvirtException { call(NODE_DEVICE_SET_AUTOSTART, named(name).writeInt(autostart ? 1 : 0)); }

    @Override public String getParent(String name) throws LibvirtException { return rpc.call(NODE_DEVICE_GET_PARENT, named(name), r -> r.readOptionalString("parent")); }
}
