package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.List;
import org.jvirt.driver.api.Network;
import org.jvirt.driver.api.NetworkDHCPLease;

/** Virtual networks: listing, lookup, define/create, start/stop, autostart, DHCP leases. */
final class NetworkProcedures {
    private NetworkProcedures() { }

    /** REMOTE_NETWORK_LIST_MAX. */
    private static final int LIST_MAX = 16384;

    static void register(ProcedureTable t) {
        t.add(CONNECT_LIST_ALL_NETWORKS, "virConnectListAllNetworks", Access.READ, c -> {
            int need = c.readInt();
            c.writeAll(need, c.conn().listAllNetworks(c.readInt()), c::writeNetwork);
        });
        t.add(CONNECT_NUM_OF_NETWORKS, "virConnectNumOfNetworks", Access.READ, c -> c.ret.writeInt(c.conn().numOfNetworks()));
        t.add(CONNECT_NUM_OF_DEFINED_NETWORKS, "virConnectNumOfDefinedNetworks", Access.READ,
                c -> c.ret.writeInt(c.conn().numOfDefinedNetworks()));
        t.add(CONNECT_LIST_NETWORKS, "virConnectListNetworks", Access.READ, c -> {
            int max = c.readMaxNames(LIST_MAX, "REMOTE_NETWORK_LIST_MAX");
            c.writeNames(c.conn().listNetworks(), max);
        });
        t.add(CONNECT_LIST_DEFINED_NETWORKS, "virConnectListDefinedNetworks", Access.READ, c -> {
            int max = c.readMaxNames(LIST_MAX, "REMOTE_NETWORK_LIST_MAX");
            c.writeNames(c.conn().listDefinedNetworks(), max);
        });
        t.add(NETWORK_LOOKUP_BY_NAME, "virNetworkLookupByName", Access.READ,
                c -> c.writeNetwork(c.conn().networkLookupByName(c.readString("name"))));
        t.add(NETWORK_LOOKUP_BY_UUID, "virNetworkLookupByUUID", Access.READ,
                c -> c.writeNetwork(c.conn().networkLookupByUUIDString(c.readUuid())));
        t.add(NETWORK_DEFINE_XML, "virNetworkDefineXML", Access.WRITE, c -> c.writeNetwork(c.conn().networkDefineXML(c.readString("xml"))));
        t.add(NETWORK_DEFINE_XML_FLAGS, "virNetworkDefineXMLFlags", Access.WRITE, c -> {
            String xml = c.readString("xml");
            c.writeNetwork(c.conn().networkDefineXML(xml, c.readInt()));
        });
        t.add(NETWORK_CREATE_XML, "virNetworkCreateXML", Access.WRITE, c -> c.writeNetwork(c.conn().networkCreateXML(c.readString("xml"))));
        t.add(NETWORK_CREATE_XML_FLAGS, "virNetworkCreateXMLFlags", Access.WRITE, c -> {
            String xml = c.readString("xml");
            c.writeNetwork(c.conn().networkCreateXML(xml, c.readInt()));
        });
        t.add(NETWORK_UNDEFINE, "virNetworkUndefine", Access.WRITE, c -> c.network().undefine());
        t.add(NETWORK_CREATE, "virNetworkCreate", Access.WRITE, c -> c.network().create());
        t.add(NETWORK_DESTROY, "virNetworkDestroy", Access.WRITE, c -> c.network().destroy());
        t.add(NETWORK_GET_XML_DESC, "virNetworkGetXMLDesc", Access.READ, c -> {
            Network n = c.network();
            c.ret.writeString(n.getXMLDesc(c.readInt()));
        });
        t.add(NETWORK_GET_BRIDGE_NAME, "virNetworkGetBridgeName", Access.READ, c -> c.ret.writeString(c.network().getBridgeName()));
        t.add(NETWORK_GET_AUTOSTART, "virNetworkGetAutostart", Access.READ, c -> c.ret.writeInt(c.network().getAutostart() ? 1 : 0));
        t.add(NETWORK_SET_AUTOSTART, "virNetworkSetAutostart", Access.WRITE, c -> {
            Network n = c.network();
            n.setAutostart(c.readInt() != 0);
        });
        t.add(NETWORK_UPDATE, "virNetworkUpdate", Access.WRITE, c -> {
            Network n = c.network();
            int command = c.readInt();
            int section = c.readInt();
            int parentIndex = c.readInt();
            String xml = c.readString("xml");
            n.update(command, section, parentIndex, xml, c.readInt());
        });
        t.add(NETWORK_IS_ACTIVE, "virNetworkIsActive", Access.READ, c -> c.ret.writeInt(c.network().isActive()));
        t.add(NETWORK_IS_PERSISTENT, "virNetworkIsPersistent", Access.READ, c -> c.ret.writeInt(c.network().isPersistent()));
        t.add(NETWORK_GET_DHCP_LEASES, "virNetworkGetDHCPLeases", Access.READ, c -> {
            Network n = c.network();
            String mac = c.readOptionalString("mac");
            int need = c.readInt();
            List<NetworkDHCPLease> leases = n.getDHCPLeases(mac, c.readInt());
            c.writeAll(need, leases.toArray(new NetworkDHCPLease[0]), l -> writeLease(c, l));
        });
    }

    /** remote_network_dhcp_lease. */
    private static void writeLease(Call c, NetworkDHCPLease l) {
        c.ret.writeString(l.iface()).writeHyper(l.expiryTime()).writeInt(l.type()).writeOptionalString(l.mac())
                .writeOptionalString(l.iaid()).writeString(l.ipaddr()).writeInt(l.prefix())
                .writeOptionalString(l.hostname()).writeOptionalString(l.clientid());
    }
}
