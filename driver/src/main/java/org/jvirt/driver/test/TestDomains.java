package org.jvirt.driver.test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.domain.devices.InterfaceTarget;

/**
 * The test driver's state model (virDomainObjList plus the state transitions every operation
 * shares): the domains, lookups, adding and replacing definitions, start and shutdown state,
 * and lifecycle events. Not thread-safe: {@link TestConnection} serializes all calls.
 */
final class TestDomains {

    private final DefineDefaults defaults;
    private final List<TestDomainObj> domains = new ArrayList<>();
    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private int nextDomId = 1;

    /** Starts with libvirt's running persistent "test" domain. */
    TestDomains(Supplier<UUID> uuids) {
        this.defaults = new DefineDefaults("i686", uuids);
        TestDomainObj test = new TestDomainObj(TestDefaults.defaultDomain(), DomainStateReason.shutoff(ShutoffReason.UNKNOWN));
        test.persistent = true;
        startState(test, RunningReason.UNKNOWN);
        domains.add(test);
    }

    // ---------------------------------------------------------------- lookup

    TestDomainObj byName(String name) {
        for (TestDomainObj o : domains) if (o.def.name().equals(name)) return o;
        return null;
    }

    TestDomainObj byUuid(String uuid) {
        for (TestDomainObj o : domains) if (o.def.uuid().equalsIgnoreCase(uuid)) return o;
        return null;
    }

    /** testDomObjFromDomain: the object behind a handle, by uuid. */
    TestDomainObj obj(DomainRef d) throws LibvirtException {
        TestDomainObj o = byUuid(d.uuid());
        if (o == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorDomain.VIR_FROM_TEST,
                    "no domain with matching uuid '" + d.uuid() + "' (" + d.name() + ")");
        }
        return o;
    }

    private static LibvirtException noDomain() {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorDomain.VIR_FROM_TEST, null);
    }

    static void checkActive(TestDomainObj o) throws LibvirtException {
        if (!o.isActive()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN, "domain is not running");
        }
    }

    List<DomainRef> listAll(int flags) {
        List<DomainRef> out = new ArrayList<>();
        for (TestDomainObj o : domains) if (matches(o, flags)) out.add(o.ref());
        return out;
    }

    private static boolean matches(TestDomainObj o, int f) {
        if (!pair(f, Flags.ListAllDomains.ACTIVE, Flags.ListAllDomains.INACTIVE, o.isActive())) return false;
        if (!pair(f, Flags.ListAllDomains.PERSISTENT, Flags.ListAllDomains.TRANSIENT, o.persistent)) return false;
        if (!pair(f, Flags.ListAllDomains.MANAGEDSAVE, Flags.ListAllDomains.NO_MANAGEDSAVE, o.hasManagedSave)) return false;
        if (!pair(f, Flags.ListAllDomains.AUTOSTART, Flags.ListAllDomains.NO_AUTOSTART, o.autostart)) return false;
        if (!pair(f, Flags.ListAllDomains.HAS_SNAPSHOT, Flags.ListAllDomains.NO_SNAPSHOT, o.snapshots.size() > 0)) return false;
        if (!pair(f, Flags.ListAllDomains.HAS_CHECKPOINT, Flags.ListAllDomains.NO_CHECKPOINT, false)) return false;
        int states = Flags.ListAllDomains.RUNNING | Flags.ListAllDomains.PAUSED | Flags.ListAllDomains.SHUTOFF
                | Flags.ListAllDomains.OTHER;
        if ((f & states) != 0) {
            DomainInfo.DomainState s = o.state.state();
            boolean ok = switch (s) {
                case VIR_DOMAIN_RUNNING -> (f & Flags.ListAllDomains.RUNNING) != 0;
                case VIR_DOMAIN_PAUSED -> (f & Flags.ListAllDomains.PAUSED) != 0;
                case VIR_DOMAIN_SHUTOFF -> (f & Flags.ListAllDomains.SHUTOFF) != 0;
                default -> (f & Flags.ListAllDomains.OTHER) != 0;
            };
            if (!ok) return false;
        }
        return true;
    }

    /** A filter pair: neither or both bits set means no filtering. */
    static boolean pair(int flags, int yes, int no, boolean value) {
        boolean y = (flags & yes) != 0;
        boolean n = (flags & no) != 0;
        if (y == n) return true;
        return y ? value : !value;
    }

    DomainRef lookupByName(String name) throws LibvirtException {
        TestDomainObj o = byName(name);
        if (o == null) throw noDomain();
        return o.ref();
    }

    DomainRef lookupByUUID(String uuid) throws LibvirtException {
        TestDomainObj o = byUuid(uuid);
        if (o == null) throw noDomain();
        return o.ref();
    }

    DomainRef lookupByID(int id) throws LibvirtException {
        for (TestDomainObj o : domains) if (o.isActive() && o.id == id) return o.ref();
        throw noDomain();
    }

    // ---------------------------------------------------------------- definitions

    DomainDefinition parseDefinition(String xml) throws LibvirtException {
        return parseDefinition(xml, false);
    }

    /** validate: checked against libvirt's schema after the syntax check (VIR_DOMAIN_DEF_PARSE_VALIDATE_SCHEMA). */
    DomainDefinition parseDefinition(String xml, boolean validate) throws LibvirtException {
        if (validate) org.jvirt.driver.def.DomainSchema.check(xml);
        Domain model = DomainDefinition.parse(xml);
        defaults.apply(model);
        generateIfnames(model);
        return DomainDefinition.of(model);
    }

    /** testDomainGenerateIfnames: testnetN for interfaces without a target. */
    private static void generateIfnames(Domain model) {
        List<Interface> nets = model.getDevices().getInterfaces();
        List<String> used = new ArrayList<>();
        for (Interface i : nets) if (i.getTarget() != null && i.getTarget().getDev() != null) used.add(i.getTarget().getDev());
        for (Interface i : nets) {
            if (i.getTarget() != null && i.getTarget().getDev() != null) continue;
            int n = 0;
            while (used.contains("testnet" + n)) n++;
            InterfaceTarget t = new InterfaceTarget();
            t.setDev("testnet" + n);
            used.add(t.getDev());
            i.setTarget(t);
        }
    }

    /**
     * virDomainObjListAdd: finds the object a new definition replaces, or adds one; refuses a
     * name or uuid clash the way libvirt does. live: the definition is to run now.
     */
    TestDomainObj addOrReplace(DomainDefinition def, boolean live, boolean checkLive) throws LibvirtException {
        TestDomainObj existing = byUuid(def.uuid());
        if (existing != null) {
            if (!existing.def.name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN,
                        "domain '" + existing.def.name() + "' is already defined with uuid " + existing.def.uuid());
            }
            if (checkLive) {
                if (existing.isActive()) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                            "domain '" + existing.def.name() + "' is already active");
                }
                if (!existing.persistent) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN,
                            "domain '" + existing.def.name() + "' is already being started");
                }
            }
            assignDef(existing, def, live);
            return existing;
        }
        TestDomainObj sameName = byName(def.name());
        if (sameName != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN,
                    "domain '" + def.name() + "' already exists with uuid " + sameName.def.uuid());
        }
        TestDomainObj o = new TestDomainObj(def, DomainStateReason.shutoff(ShutoffReason.UNKNOWN));
        domains.add(o);
        return o;
    }

    /** virDomainObjAssignDef. */
    static void assignDef(TestDomainObj o, DomainDefinition def, boolean live) {
        if (o.isActive()) {
            if (live) {
                if (o.persistent && o.newDef == null) o.newDef = o.def;
                o.def = def;
            } else {
                o.newDef = def;
            }
        } else {
            o.def = def;
        }
    }

    /** Forgets an inactive domain (undefine). */
    void remove(TestDomainObj o) {
        domains.remove(o);
    }

    // ---------------------------------------------------------------- state transitions

    /** testDomainStartState. */
    void startState(TestDomainObj o, RunningReason reason) {
        o.state = DomainStateReason.running(reason);
        o.id = nextDomId++;
        if (o.persistent && o.newDef == null) o.newDef = o.def.copy();
        o.hasManagedSave = false;
    }

    /** testDomainShutdownState, and removal of a transient domain that stopped. */
    void shutdownState(TestDomainObj o, ShutoffReason reason) {
        if (o.newDef != null) {
            o.def = o.newDef;
            o.newDef = null;
        }
        o.state = DomainStateReason.shutoff(reason);
        o.id = -1;
        if (!o.persistent) domains.remove(o);
    }

    // ---------------------------------------------------------------- events

    void addListener(DomainEventListener l) {
        listeners.add(l);
    }

    void removeListener(DomainEventListener l) {
        listeners.remove(l);
    }

    void emit(TestDomainObj o, int event, int detail) {
        DomainRef ref = o.ref();
        for (DomainEventListener l : listeners) l.onLifecycle(ref, event, detail);
    }
}
