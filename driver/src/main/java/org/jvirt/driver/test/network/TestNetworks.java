package org.jvirt.driver.test.network;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllNetworks;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.driver.objxml.SchemaCheck;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.NetworkDriver;
import org.jvirt.driver.spi.NetworkRef;

/**
 * The test driver's networks (src/test/test_driver.c, testNetwork*): the "default" NAT network,
 * active and persistent, and libvirt's checks and messages for define, create, start, destroy,
 * undefine and autostart. As in libvirt's test driver, destroying an inactive network succeeds.
 */
public final class TestNetworks implements NetworkDriver {

    /** defaultConnXML's network (the bridge is written before forward there; the output reorders it). */
    static final String DEFAULT_XML = "<network>\n  <name>default</name>\n  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
            + "  <bridge name='virbr0'/>\n  <forward/>\n  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
            + "    <dhcp>\n      <range start='192.168.122.2' end='192.168.122.254'/>\n    </dhcp>\n  </ip>\n</network>\n";

    private final List<TestNetworkObj> networks = new ArrayList<>();
    private final Supplier<UUID> uuids;

    public TestNetworks(Supplier<UUID> uuids) {
        this.uuids = uuids;
        try {
            TestNetworkObj def = new TestNetworkObj(NetworkDef.parse(DEFAULT_XML, uuids));
            def.active = true;
            def.persistent = true;
            networks.add(def);
        } catch (LibvirtException e) {
            throw new IllegalStateException("the default network does not parse", e);
        }
    }

    /** testNetworkObjFindByName: how libvirt's test driver finds a handle's network for most calls. */
    private TestNetworkObj find(NetworkRef ref) throws LibvirtException {
        for (TestNetworkObj o : networks) if (o.def.name().equals(ref.name())) return o;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_TEST,
                "no network with matching name '" + ref.name() + "'");
    }

    /** testNetworkObjFindByUUID: what its IsActive and IsPersistent use. */
    private TestNetworkObj findByUUID(NetworkRef ref) throws LibvirtException {
        for (TestNetworkObj o : networks) if (o.def.uuid().equals(ref.uuid())) return o;
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_TEST,
                "no network with matching uuid '" + ref.uuid() + "'");
    }

    @Override
    public synchronized List<NetworkRef> listAll(int flags) {
        List<NetworkRef> out = new ArrayList<>();
        for (TestNetworkObj o : networks) if (matches(o, flags)) out.add(o.ref());
        return out;
    }

    /** virNetworkObjMatch: each pair of filter bits, when either is set, must hold. */
    private static boolean matches(TestNetworkObj o, int f) {
        if ((f & (ListAllNetworks.ACTIVE | ListAllNetworks.INACTIVE)) != 0
                && !((o.active && (f & ListAllNetworks.ACTIVE) != 0) || (!o.active && (f & ListAllNetworks.INACTIVE) != 0))) return false;
        if ((f & (ListAllNetworks.PERSISTENT | ListAllNetworks.TRANSIENT)) != 0
                && !((o.persistent && (f & ListAllNetworks.PERSISTENT) != 0) || (!o.persistent && (f & ListAllNetworks.TRANSIENT) != 0))) return false;
        return (f & (ListAllNetworks.AUTOSTART | ListAllNetworks.NO_AUTOSTART)) == 0
                || (o.autostart && (f & ListAllNetworks.AUTOSTART) != 0) || (!o.autostart && (f & ListAllNetworks.NO_AUTOSTART) != 0);
    }

    @Override
    public synchronized int numOfNetworks() {
        return (int) networks.stream().filter(o -> o.active).count();
    }

    @Override
    public synchronized int numOfDefinedNetworks() {
        return (int) networks.stream().filter(o -> !o.active).count();
    }

    @Override
    public synchronized NetworkRef lookupByName(String name) throws LibvirtException {
        for (TestNetworkObj o : networks) if (o.def.name().equals(name)) return o.ref();
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_TEST,
                "no network with matching name '" + name + "'");
    }

    @Override
    public synchronized NetworkRef lookupByUUID(String uuid) throws LibvirtException {
        String canonical = org.jvirt.driver.objxml.Uuids.canonical(uuid);
        for (TestNetworkObj o : networks) if (o.def.uuid().equals(canonical)) return o.ref();
        throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_TEST,
                "no network with matching uuid '" + uuid + "'");
    }

    /**
     * virNetworkObjListAssignDef's checks: a name taken by another uuid, or a uuid taken by
     * another name, is refused; the same name and uuid is a redefinition of that network.
     */
    private TestNetworkObj existing(NetworkDef def) throws LibvirtException {
        for (TestNetworkObj o : networks) {
            if (o.def.uuid().equals(def.uuid())) {
                if (!o.def.name().equals(def.name())) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_NETWORK,
                            "network '" + o.def.name() + "' is already defined with uuid " + o.def.uuid());
                }
                return o;
            }
            if (o.def.name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_NETWORK,
                        "network '" + o.def.name() + "' already exists with uuid " + o.def.uuid());
            }
        }
        return null;
    }

    @Override
    public synchronized NetworkRef defineXML(String xml, int flags) throws LibvirtException {
        CheckFlags.check(flags, 1, "testNetworkDefineXMLFlags");
        if ((flags & 1) != 0) SchemaCheck.validate(xml, "network.rng");
        NetworkDef def = NetworkDef.parse(xml, uuids);
        TestNetworkObj o = existing(def);
        if (o == null) {
            o = new TestNetworkObj(def);
            networks.add(o);
        } else if (!o.active) {
            o.def = def;
        }
        // a running network keeps its definition: libvirt's test driver never applies the
        // new one (not at net-destroy either), so it is accepted and dropped
        o.persistent = true;
        return o.ref();
    }

    @Override
    public synchronized NetworkRef createXML(String xml, int flags) throws LibvirtException {
        CheckFlags.check(flags, 1, "testNetworkCreateXMLFlags");
        if ((flags & 1) != 0) SchemaCheck.validate(xml, "network.rng");
        NetworkDef def = NetworkDef.parse(xml, uuids);
        TestNetworkObj o = existing(def);
        if (o != null && o.active) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_NETWORK,
                    "network is already active as '" + o.def.name() + "'");
        }
        if (o == null) {
            o = new TestNetworkObj(def);
            networks.add(o);
        } else {
            o.def = def;
        }
        o.active = true;
        return o.ref();
    }

    @Override
    public synchronized void create(NetworkRef ref) throws LibvirtException {
        TestNetworkObj o = find(ref);
        if (o.active) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "Network '" + o.def.name() + "' is already running");
        }
        o.active = true;
    }

    @Override
    public synchronized void destroy(NetworkRef ref) throws LibvirtException {
        TestNetworkObj o = find(ref);
        o.active = false;
        if (!o.persistent) networks.remove(o);
    }

    @Override
    public synchronized void undefine(NetworkRef ref) throws LibvirtException {
        TestNetworkObj o = find(ref);
        if (o.active) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "Network '" + o.def.name() + "' is still running");
        }
        networks.remove(o);
    }

    @Override
    public synchronized String getXMLDesc(NetworkRef ref, int flags) throws LibvirtException {
        TestNetworkObj o = find(ref);
        CheckFlags.check(flags, 0, "testNetworkGetXMLDesc");
        return o.def.format();
    }

    @Override
    public synchronized String getBridgeName(NetworkRef ref) throws LibvirtException {
        TestNetworkObj o = find(ref);
        if (o.def.bridgeName() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "network '" + o.def.name() + "' does not have a bridge name.");
        }
        return o.def.bridgeName();
    }

    @Override public synchronized boolean getAutostart(NetworkRef ref) throws LibvirtException { return find(ref).autostart; }

    @Override public synchronized void setAutostart(NetworkRef ref, boolean on) throws LibvirtException { find(ref).autostart = on; }

    @Override public synchronized boolean isActive(NetworkRef ref) throws LibvirtException { return findByUUID(ref).active; }

    @Override public synchronized boolean isPersistent(NetworkRef ref) throws LibvirtException { return findByUUID(ref).persistent; }
}
