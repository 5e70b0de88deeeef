package org.jvirt.driver.remote;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.InterfaceDriver;
import org.jvirt.driver.spi.InterfaceRef;
import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;

/** The daemon's host interface driver (INTERFACE_*; remote_nonnull_interface is name and MAC). */
final class RemoteInterfaces implements InterfaceDriver {
    /** REMOTE_INTERFACE_LIST_MAX. */
    private static final int LIST_MAX = 16384;

    private final RpcClient rpc;

    RemoteInterfaces(RpcClient rpc) {
        this.rpc = rpc;
    }

    private static InterfaceRef iface(XdrReader r) throws XdrException {
        return new InterfaceRef(r.readString("interface name"), r.readString("interface mac"));
    }

    private static XdrWriter args(InterfaceRef i) {
        return new XdrWriter().writeString(i.name()).writeString(i.mac());
    }

    private void call(int proc, XdrWriter args) throws LibvirtException {
        rpc.call(proc, args, ReplyDecoder.NONE);
    }

    @Override
    public List<InterfaceRef> listAll(int flags) throws LibvirtException {
        return rpc.call(CONNECT_LIST_ALL_INTERFACES, new XdrWriter().writeInt(1).writeInt(flags), r -> {
            int n = r.readCount(LIST_MAX, 8, "interfaces");
            List<InterfaceRef> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(iface(r));
            r.readInt(); // the count again
            return out;
        });
    }

    @Override public int numOfInterfaces() throws LibvirtException { return rpc.call(CONNECT_NUM_OF_INTERFACES, null, r -> r.readInt()); }

    @Override public int numOfDefinedInterfaces() throws LibvirtException { return rpc.call(CONNECT_NUM_OF_DEFINED_INTERFACES, null, r -> r.readInt()); }

    @Override
    public InterfaceRef lookupByName(String name) throws LibvirtException {
        return rpc.call(INTERFACE_LOOKUP_BY_NAME, new XdrWriter().writeString(name), RemoteInterfaces::iface);
    }

    @Override
    public InterfaceRef lookupByMACString(String mac) throws LibvirtException {
        return rpc.call(INTERFACE_LOOKUP_BY_MAC_STRING, new XdrWriter().writeString(mac), RemoteInterfaces::iface);
    }

    @Override
    public String getXMLDesc(InterfaceRef i, int flags) throws LibvirtException {
        return rpc.call(INTERFACE_GET_XML_DESC, args(i).writeInt(flags), r -> r.readString("xml"));
    }

    @Override public boolean isActive(InterfaceRef i) throws LibvirtException { return rpc.call(INTERFACE_IS_ACTIVE, args(i), r -> r.readInt()) != 0; }

    @Override
    public InterfaceRef defineXML(String xml, int flags) throws LibvirtException {
        return rpc.call(INTERFACE_DEFINE_XML, new XdrWriter().writeString(xml).writeInt(flags), RemoteInterfaces::iface);
    }

    @Override public void undefine(InterfaceRef i) throws LibvirtException { call(INTERFACE_UNDEFINE, args(i)); }

    @Override public void create(InterfaceRef i, int flags) throws LibvirtException { call(INTERFACE_CREATE, args(i).writeInt(flags)); }

    @Override public void destroy(InterfaceRef i, int flags) throws LibvirtException { call(INTERFACE_DESTROY, args(i).writeInt(flags)); }

    @Override public void changeBegin(int flags) throws LibvirtException { call(INTERFACE_CHANGE_BEGIN, new XdrWriter().writeInt(flags)); }

    @Override public void changeCommit(int flags) throws LibvirtException { call(INTERFACE_CHANGE_COMMIT, new XdrWriter().writeInt(flags)); }

    @Override public void changeRollback(int flags) throws LibvirtException { call(INTERFACE_CHANGE_ROLLBACK, new XdrWriter().writeInt(flags)); }
}
