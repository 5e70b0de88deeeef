package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.Interface;

/** Host interfaces: listing, lookup, define/undefine, start/stop, and change transactions. */
final class InterfaceProcedures {
    private InterfaceProcedures() { }

    /** REMOTE_INTERFACE_LIST_MAX. */
    private static final int LIST_MAX = 16384;

    static void register(ProcedureTable t) {
        t.add(CONNECT_LIST_ALL_INTERFACES, "virConnectListAllInterfaces", Access.READ, c -> {
            int need = c.readInt();
            c.writeAll(need, c.conn().listAllInterfaces(c.readInt()), c::writeInterface);
        });
        t.add(CONNECT_NUM_OF_INTERFACES, "virConnectNumOfInterfaces", Access.READ, c -> c.ret.writeInt(c.conn().numOfInterfaces()));
        t.add(CONNECT_NUM_OF_DEFINED_INTERFACES, "virConnectNumOfDefinedInterfaces", Access.READ,
                c -> c.ret.writeInt(c.conn().numOfDefinedInterfaces()));
        t.add(CONNECT_LIST_INTERFACES, "virConnectListInterfaces", Access.READ, c -> {
            int max = c.readMaxNames(LIST_MAX, "REMOTE_INTERFACE_LIST_MAX");
            c.writeNames(c.conn().listInterfaces(), max);
        });
        t.add(CONNECT_LIST_DEFINED_INTERFACES, "virConnectListDefinedInterfaces", Access.READ, c -> {
            int max = c.readMaxNames(LIST_MAX, "REMOTE_INTERFACE_LIST_MAX");
            c.writeNames(c.conn().listDefinedInterfaces(), max);
        });
        t.add(INTERFACE_LOOKUP_BY_NAME, "virInterfaceLookupByName", Access.READ,
                c -> c.writeInterface(c.conn().interfaceLookupByName(c.readString("name"))));
        t.add(INTERFACE_LOOKUP_BY_MAC_STRING, "virInterfaceLookupByMACString", Access.READ,
                c -> c.writeInterface(c.conn().interfaceLookupByMACString(c.readString("mac"))));
        t.add(INTERFACE_GET_XML_DESC, "virInterfaceGetXMLDesc", Access.READ, c -> {
            Interface i = c.iface();
            c.ret.writeString(i.getXMLDescription(c.readInt()));
        });
        t.add(INTERFACE_IS_ACTIVE, "virInterfaceIsActive", Access.READ, c -> c.ret.writeInt(c.iface().isActive()));
        t.add(INTERFACE_DEFINE_XML, "virInterfaceDefineXML", Access.WRITE, c -> {
            String xml = c.readString("xml");
            c.writeInterface(c.conn().interfaceDefineXML(xml, c.readInt()));
        });
        t.add(INTERFACE_UNDEFINE, "virInterfaceUndefine", Access.WRITE, c -> c.iface().undefine());
        // create/destroy and the change transactions carry flags that jvirt's API does not take (libvirt defines none)
        t.add(INTERFACE_CREATE, "virInterfaceCreate", Access.WRITE, c -> {
            Interface i = c.iface();
            c.readInt();
            i.create();
        });
        t.add(INTERFACE_DESTROY, "virInterfaceDestroy", Access.WRITE, c -> {
            Interface i = c.iface();
            c.readInt();
            i.destroy();
        });
        t.add(INTERFACE_CHANGE_BEGIN, "virInterfaceChangeBegin", Access.WRITE, c -> {
            c.readInt();
            c.conn().interfaceChangeBegin();
        });
        t.add(INTERFACE_CHANGE_COMMIT, "virInterfaceChangeCommit", Access.WRITE, c -> {
            c.readInt();
            c.conn().interfaceChangeCommit();
        });
        t.add(INTERFACE_CHANGE_ROLLBACK, "virInterfaceChangeRollback", Access.WRITE, c -> {
            c.readInt();
            c.conn().interfaceChangeRollback();
        });
    }
}
