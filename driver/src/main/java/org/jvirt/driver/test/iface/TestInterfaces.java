package org.jvirt.driver.test.iface;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllInterfaces;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.InterfaceDef;
import org.jvirt.driver.objxml.SchemaCheck;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.InterfaceDriver;
import org.jvirt.driver.spi.InterfaceRef;

/**
 * The test driver's host interfaces (testInterface*): defaultConnXML's ethernet interface
 * "eth1", active; define, undefine, start, destroy, and the change transaction of
 * iface-begin/commit/rollback (a rollback restores the definitions, every one inactive, as
 * libvirt's object list clone does).
 */
public final class TestInterfaces implements InterfaceDriver {

    private static final String ETH1 = "<interface type=\"ethernet\" name=\"eth1\">\n  <start mode=\"onboot\"/>\n"
            + "  <mac address=\"aa:bb:cc:dd:ee:ff\"/>\n  <mtu size=\"1492\"/>\n  <protocol family=\"ipv4\">\n"
            + "    <ip address=\"192.168.0.5\" prefix=\"24\"/>\n    <route gateway=\"192.168.0.1\"/>\n  </protocol>\n"
            + "</interface>\n";

    /** One interface: its definition and whether it is up. */
    private static final class Obj {
        InterfaceDef def;
        boolean active;

        Obj(InterfaceDef def, boolean active) {
            this.def = def;
            this.active = active;
        }

        InterfaceRef ref() {
            return new InterfaceRef(def.name(), def.mac());
        }
    }

    private List<Obj> ifaces = new ArrayList<>();
    /** The definitions saved by iface-begin, or null when no transaction runs. */
    private List<InterfaceDef> backup;

    public TestInterfaces() {
        try {
            ifaces.add(new Obj(InterfaceDef.parse(ETH1), true));
        } catch (LibvirtException e) {
            throw new IllegalStateException("the default interface does not parse", e);
        }
    }

    private static LibvirtException invalid(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST, message);
    }

    private Obj find(String name) throws LibvirtException {
        for (Obj o : ifaces) if (o.def.name().equals(name)) return o;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_INTERFACE, ErrorDomain.VIR_FROM_TEST,
                "no interface with matching name '" + name + "'");
    }

    @Override
    public synchronized List<InterfaceRef> listAll(int flags) throws LibvirtException {
        CheckFlags.check(flags, ListAllInterfaces.ACTIVE | ListAllInterfaces.INACTIVE, "testConnectListAllInterfaces");
        boolean both = (flags & (ListAllInterfaces.ACTIVE | ListAllInterfaces.INACTIVE)) == 0;
        List<InterfaceRef> out = new ArrayList<>();
        for (Obj o : ifaces) {
            if (both || (o.active && (flags & ListAllInterfaces.ACTIVE) != 0)
                    || (!o.active && (flags & ListAllInterfaces.INACTIVE) != 0)) out.add(o.ref());
        }
        return out;
    }

    @Override public synchronized int numOfInterfaces() { return (int) ifaces.stream().filter(o -> o.active).count(); }

    @Override public synchronized int numOfDefinedInterfaces() { return (int) ifaces.stream().filter(o -> !o.active).count(); }

    @Override public synchronized InterfaceRef lookupByName(String name) throws LibvirtException { return find(name).ref(); }

    @Override
    public synchronized InterfaceRef lookupByMACString(String mac) throws LibvirtException {
        List<Obj> found = ifaces.stream().filter(o -> o.def.mac().equalsIgnoreCase(mac)).toList();
        if (found.isEmpty()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_INTERFACE, ErrorDomain.VIR_FROM_TEST,
                    "no interface with matching mac '" + mac + "'");
        }
        if (found.size() > 1) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_MULTIPLE_INTERFACES, ErrorDomain.VIR_FROM_TEST, null);
        }
        return found.get(0).ref();
    }

    @Override
    public synchronized String getXMLDesc(InterfaceRef i, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testInterfaceGetXMLDesc");
        return find(i.name()).def.format();
    }

    @Override public synchronized boolean isActive(InterfaceRef i) throws LibvirtException { return find(i.name()).active; }

    @Override
    public synchronized InterfaceRef defineXML(String xml, int flags) throws LibvirtException {
        // VIR_INTERFACE_DEFINE_VALIDATE (1)
        CheckFlags.check(flags, 1, "testInterfaceDefineXML");
        if ((flags & 1) != 0) SchemaCheck.validate(xml, "interface.rng");
        InterfaceDef def = InterfaceDef.parse(xml);
        for (Obj o : ifaces) {
            if (o.def.name().equals(def.name())) {
                o.def = def;
                return o.ref();
            }
        }
        Obj o = new Obj(def, false);
        ifaces.add(o);
        return o.ref();
    }

    @Override
    public synchronized void undefine(InterfaceRef i) throws LibvirtException {
        ifaces.remove(find(i.name()));
    }

    @Override
    public synchronized void create(InterfaceRef i, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testInterfaceCreate");
        Obj o = find(i.name());
        if (o.active) throw invalid(null);
        o.active = true;
    }

    @Override
    public synchronized void destroy(InterfaceRef i, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testInterfaceDestroy");
        Obj o = find(i.name());
        if (!o.active) throw invalid(null);
        o.active = false;
    }

    @Override
    public synchronized void changeBegin(int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testInterfaceChangeBegin");
        if (backup != null) throw invalid("there is another transaction running.");
        backup = ifaces.stream().map(o -> o.def).toList();
    }

    @Override
    public synchronized void changeCommit(int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testInterfaceChangeCommit");
        if (backup == null) throw invalid("no transaction running, nothing to be committed.");
        backup = null;
    }

    @Override
    public synchronized void changeRollback(int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "testInterfaceChangeRollback");
        if (backup == null) throw invalid("no transaction running, nothing to rollback.");
        List<Obj> restored = new ArrayList<>();
        for (InterfaceDef d : backup) restored.add(new Obj(d, false));
        ifaces = restored;
        backup = null;
    }
}
