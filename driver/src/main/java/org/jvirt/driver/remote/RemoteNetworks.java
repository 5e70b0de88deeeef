package org.jvirt.driver.remote;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NetworkDHCPLease;
import org.jvirt.driver.spi.NetworkDriver;
import org.jvirt.driver.spi.NetworkRef;
import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;

/** The daemon's network driver (NETWORK_* procedures; remote_nonnull_network is name and uuid). */
final class RemoteNetworks implements NetworkDriver {
    /** REMOTE_NETWORK_LIST_MAX, REMOTE_NETWORK_DHCP_LEASES_MAX. */
    private static final int NETWORK_LIST_MAX = 16384, LEASES_MAX = 65536;

    private final RpcClient rpc;

    RemoteNetworks(RpcClient rpc) {
        this.rpc = rpc;
    }

    private static NetworkRef network(XdrReader r) throws XdrException {
        String[] n = WireTypes.readNameAndUuid(r, "network");
        return new NetworkRef(n[0], n[1]);
    }

    private static XdrWriter args(NetworkRef n) throws LibvirtException {
        return WireTypes.nameAndUuid(n.name(), n.uuid());
    }

    @Override
    public List<NetworkRef> listAll(int flags) throws LibvirtException {
        return rpc.call(CONNECT_LIST_ALL_NETWORKS, new XdrWriter().writeInt(1).writeInt(flags), r -> {
            int n = r.readCount(NETWORK_LIST_MAX, 20, "networks");
            List<NetworkRef> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(network(r));
            r.readInt(); // the count again
            return out;
        });
    }

    @Override public int numOfNetworks() throws LibvirtException { return rpc.call(CONNECT_NUM_OF_NETWORKS, null, r -> r.readInt()); }

    @Override public int numOfDefinedNetworks() throws LibvirtException { return rpc.call(CONNECT_NUM_OF_DEFINED_NETWORKS, null, r -> r.readInt()); }

    @Override
    public NetworkRef lookupByName(String name) throws LibvirtException {
        return rpc.call(NETWORK_LOOKUP_BY_NAME, new XdrWriter().writeString(name), RemoteNetworks::network);
    }

    @Override
    public NetworkRef lookupByUUID(String uuid) throws LibvirtException {
        byte[] u = WireTypes.uuid(uuid);
        return rpc.call(NETWORK_LOOKUP_BY_UUID, new XdrWriter().writeFixedOpaque(u, 0, u.length), RemoteNetworks::network);
    }

    /** Without flags the call older daemons know, as libvirt's client picks it through the public API. */
    @Override
    public NetworkRef defineXML(String xml, int flags) throws LibvirtException {
        if (flags == 0) return rpc.call(NETWORK_DEFINE_XML, new XdrWriter().writeString(xml), RemoteNetworks::network);
        return rpc.call(NETWORK_DEFINE_XML_FLAGS, new XdrWriter().writeString(xml).writeInt(flags), RemoteNetworks::network);
    }

    @Override
    public NetworkRef createXML(String xml, int flags) throws LibvirtException {
        if (flags == 0) return rpc.call(NETWORK_CREATE_XML, new XdrWriter().writeString(xml), RemoteNetworks::network);
        return rpc.call(NETWORK_CREATE_XML_FLAGS, new XdrWriter().writeString(xml).writeInt(flags), RemoteNetworks::network);
    }

    @Override public void create(NetworkRef n) throws LibvirtException { rpc.call(NETWORK_CREATE, args(n), ReplyDecoder.NONE); }

    @Override public void destroy(NetworkRef n) throws LibvirtException { rpc.call(NETWORK_DESTROY, args(n), ReplyDecoder.NONE); }

    @Override public void undefine(NetworkRef n) throws LibvirtException { rpc.call(NETWORK_UNDEFINE, args(n), ReplyDecoder.NONE); }

    @Override
    public String getXMLDesc(NetworkRef n, int flags) throws LibvirtException {
        return rpc.call(NETWORK_GET_XML_DESC, args(n).writeInt(flags), r -> r.readString("xml"));
    }

    @Override
    public String getBridgeName(NetworkRef n) throws LibvirtException {
        return rpc.call(NETWORK_GET_BRIDGE_NAME, args(n), r -> r.readString("bridge"));
    }

    @Override public boolean getAutostart(NetworkRef n) throws LibvirtException { return rpc.call(NETWORK_GET_AUTOSTART, args(n), r -> r.readInt()) != 0; }

    @Override
    public void setAutostart(NetworkRef n, boolean autostart) throws LibvirtException {
        rpc.call(NETWORK_SET_AUTOSTART, args(n).writeInt(autostart ? 1 : 0), ReplyDecoder.NONE);
    }

    @Override
    public void update(NetworkRef n, int command, int section, int parentIndex, String xml, int flags) throws LibvirtException {
        rpc.call(NETWORK_UPDATE, args(n).writeInt(command).writeInt(section).writeInt(parentIndex).writeString(xml).writeInt(flags),
                ReplyDecoder.NONE);
    }

    @Override public boolean isActive(NetworkRef n) throws LibvirtException { return rpc.call(NETWORK_IS_ACTIVE, args(n), r -> r.readInt()) != 0; }

    @Override public boolean isPersistent(NetworkRef n) throws LibvirtException { return rpc.call(NETWORK_IS_PERSISTENT, args(n), r -> r.readInt()) != 0; }

    @Override
    public List<NetworkDHCPLease> getDHCPLeases(NetworkRef n, String mac, int flags) throws LibvirtException {
        return rpc.call(NETWORK_GET_DHCP_LEASES, args(n).writeOptionalString(mac).writeInt(1).writeInt(flags), r -> {
            int count = r.readCount(LEASES_MAX, 36, "dhcp leases");
            List<NetworkDHCPLease> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String iface = r.readString("iface");
                long expiry = r.readHyper();
                int type = r.readInt();
                String leaseMac = r.readOptionalString("mac");
                String iaid = r.readOptionalString("iaid");
                String ip = r.readString("ipaddr");
                int prefix = r.readInt();
                out.add(new NetworkDHCPLease(iface, expiry, type, leaseMac, iaid, ip, prefix, r.readOptionalString("hostname"),
                        r.readOptionalString("clientid")));
            }
            r.readInt(); // the count again
            return out;
        });
    }
}
