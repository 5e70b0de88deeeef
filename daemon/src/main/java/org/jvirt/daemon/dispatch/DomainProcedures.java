package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.Domain;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.Uuids;

/** Listing, lookup, define/undefine and the lifecycle of domains. */
final class DomainProcedures {
    private DomainProcedures() { }

    static void register(ProcedureTable t) {
        t.add(CONNECT_LIST_ALL_DOMAINS, "virConnectListAllDomains", Access.READ, c -> {
            int needResults = c.readInt();
            int flags = c.readInt();
            Domain[] all = c.conn().listAllDomains(flags);
            if (needResults != 0) {
                c.ret.writeInt(all.length);
                for (Domain d : all) c.writeDomain(d);
            } else {
                c.ret.writeInt(0);
            }
            c.ret.writeInt(all.length);
        });
        t.add(CONNECT_NUM_OF_DOMAINS, "virConnectNumOfDomains", Access.READ, c -> c.ret.writeInt(c.conn().numOfDomains()));
        t.add(CONNECT_NUM_OF_DEFINED_DOMAINS, "virConnectNumOfDefinedDomains", Access.READ, c -> c.ret.writeInt(c.conn().numOfDefinedDomains()));
        t.add(CONNECT_LIST_DOMAINS, "virConnectListDomains", Access.READ, c -> {
            int max = maxCount(c.readInt(), "maxids");
            int[] ids = c.conn().listDomains();
            int n = Math.min(max, ids.length);
            c.ret.writeInt(n);
            for (int i = 0; i < n; i++) c.ret.writeInt(ids[i]);
        });
        t.add(CONNECT_LIST_DEFINED_DOMAINS, "virConnectListDefinedDomains", Access.READ, c -> {
            int max = maxCount(c.readInt(), "maxnames");
            String[] names = c.conn().listDefinedDomains();
            int n = Math.min(max, names.length);
            c.ret.writeInt(n);
            for (int i = 0; i < n; i++) c.ret.writeString(names[i]);
        });
        t.add(DOMAIN_LOOKUP_BY_ID, "virDomainLookupByID", Access.READ, c -> c.writeDomain(c.conn().domainLookupByID(c.readInt())));
        t.add(DOMAIN_LOOKUP_BY_NAME, "virDomainLookupByName", Access.READ, c -> c.writeDomain(c.conn().domainLookupByName(c.readString("name"))));
        t.add(DOMAIN_LOOKUP_BY_UUID, "virDomainLookupByUUID", Access.READ, c -> {
            byte[] uuid = c.args.readFixedOpaque(Limits.UUID_BUFLEN, "uuid");
            c.writeDomain(c.conn().domainLookupByUUIDString(Uuids.format(uuid)));
        });
        t.add(DOMAIN_DEFINE_XML, "virDomainDefineXML", Access.WRITE, c -> c.writeDomain(c.conn().domainDefineXML(c.readString("xml"))));
        t.add(DOMAIN_DEFINE_XML_FLAGS, "virDomainDefineXMLFlags", Access.WRITE, c -> {
            String xml = c.readString("xml");
            c.writeDomain(c.conn().domainDefineXML(xml, c.readInt()));
        });
        t.add(DOMAIN_CREATE_XML, "virDomainCreateXML", Access.WRITE, c -> {
            String xml = c.readString("xml_desc");
            c.writeDomain(c.conn().domainCreateXML(xml, c.readInt()));
        });
        t.add(DOMAIN_UNDEFINE, "virDomainUndefine", Access.WRITE, c -> c.domain().undefine());
        t.add(DOMAIN_UNDEFINE_FLAGS, "virDomainUndefineFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            d.undefine(c.readInt());
        });
        t.add(DOMAIN_CREATE, "virDomainCreate", Access.WRITE, c -> c.domain().create());
        t.add(DOMAIN_CREATE_WITH_FLAGS, "virDomainCreateWithFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            d.create(c.readInt());
            c.writeDomain(d);
        });
        t.add(DOMAIN_DESTROY, "virDomainDestroy", Access.WRITE, c -> c.domain().destroy());
        t.add(DOMAIN_DESTROY_FLAGS, "virDomainDestroyFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            int flags = c.readInt();
            if (flags != 0) {
                throw org.jvirt.driver.api.LibvirtException.unprefixed(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_INVALID_ARG,
                        org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_DOMAIN,
                        "unsupported flags (0x" + Integer.toHexString(flags) + ") in function virDomainDestroyFlags");
            }
            d.destroy();
        });
        t.add(DOMAIN_SHUTDOWN, "virDomainShutdown", Access.WRITE, c -> c.domain().shutdown());
        t.add(DOMAIN_SHUTDOWN_FLAGS, "virDomainShutdownFlags", Access.WRITE, c -> {
            Domain d = c.domain();
            d.shutdownFlags(c.readInt());
        });
        t.add(DOMAIN_REBOOT, "virDomainReboot", Access.WRITE, c -> {
            Domain d = c.domain();
            d.reboot(c.readInt());
        });
        t.add(DOMAIN_RESET, "virDomainReset", Access.WRITE, c -> {
            Domain d = c.domain();
            c.readInt();
            d.reset();
        });
        t.add(DOMAIN_SUSPEND, "virDomainSuspend", Access.WRITE, c -> c.domain().suspend());
        t.add(DOMAIN_RESUME, "virDomainResume", Access.WRITE, c -> c.domain().resume());
        t.add(DOMAIN_SET_AUTOSTART, "virDomainSetAutostart", Access.WRITE, c -> {
            Domain d = c.domain();
            d.setAutostart(c.readInt() != 0);
        });
        t.add(DOMAIN_GET_AUTOSTART, "virDomainGetAutostart", Access.READ, c -> c.ret.writeInt(c.domain().getAutostart() ? 1 : 0));
        t.add(DOMAIN_RENAME, "virDomainRename", Access.WRITE, c -> {
            Domain d = c.domain();
            String newName = c.readOptionalString("new_name");
            c.readInt();
            c.ret.writeInt(d.rename(newName));
        });
    }

    /** A client's array size argument: libvirtd refuses counts past the protocol's maximum. */
    private static int maxCount(int n, String what) {
        if (n > Limits.DOMAIN_LIST_MAX) throw RpcFailure.rpc(what + " > REMOTE_DOMAIN_LIST_MAX");
        return Math.max(0, n);
    }
}
