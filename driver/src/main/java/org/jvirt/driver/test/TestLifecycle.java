package org.jvirt.driver.test;

import static org.jvirt.driver.test.TestDomains.checkActive;

import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;

/**
 * The test driver's define/undefine and lifecycle operations (start, shutdown, reboot,
 * destroy, suspend, resume), with the events libvirt emits for each. Callers serialize calls.
 */
final class TestLifecycle {

    private final TestDomains domains;

    TestLifecycle(TestDomains domains) {
        this.domains = domains;
    }

    DomainRef defineXML(String xml, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.Define.VALIDATE, "testDomainDefineXMLFlags");
        DomainDefinition def = domains.parseDefinition(xml, (flags & Flags.Define.VALIDATE) != 0);
        boolean existed = domains.byUuid(def.uuid()) != null;
        TestDomainObj o = domains.addOrReplace(def, false, false);
        o.persistent = true;
        domains.emit(o, 0, existed ? 1 : 0);
        return o.ref();
    }

    DomainRef createXML(String xml, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.Create.START_VALIDATE, "testDomainCreateXML");
        DomainDefinition def = domains.parseDefinition(xml, (flags & Flags.Create.START_VALIDATE) != 0);
        TestDomainObj o = domains.addOrReplace(def, true, true);
        domains.startState(o, RunningReason.BOOTED);
        domains.emit(o, 2, 0);
        return o.ref();
    }

    /** testDomainCreateWithFlags: no flag is known; a managed-saved domain boots afresh. */
    void create(DomainRef d, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainCreateWithFlags");
        TestDomainObj o = domains.obj(d);
        if (o.isActive()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "Domain '" + d.name() + "' is already running");
        }
        domains.startState(o, RunningReason.BOOTED);
        domains.emit(o, 2, 0);
    }

    void shutdown(DomainRef d, int flags) throws LibvirtException {
        org.jvirt.driver.spi.CheckFlags.check(flags, 0, "testDomainShutdownFlags");
        TestDomainObj o = domains.obj(d);
        if (!o.isActive()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "domain '" + d.name() + "' not running");
        }
        lifecycleAction(o, o.def.model().getOnPoweroff());
    }

    void reboot(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        checkActive(o);
        lifecycleAction(o, o.def.model().getOnReboot());
    }

    /** testDomainActionSetState: restart actions keep it running (booted), the others stop it. */
    private void lifecycleAction(TestDomainObj o, String action) {
        if ("restart".equals(action) || "rename-restart".equals(action)) {
            o.state = DomainStateReason.running(RunningReason.BOOTED);
        } else {
            domains.emit(o, 5, 0);
            domains.shutdownState(o, ShutoffReason.SHUTDOWN);
        }
    }

    void destroy(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        checkActive(o);
        domains.emit(o, 5, 1);
        domains.shutdownState(o, ShutoffReason.DESTROYED);
    }

    void suspend(DomainRef d) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        DomainInfo.DomainState s = o.state.state();
        if (s == DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF || s == DomainInfo.DomainState.VIR_DOMAIN_PAUSED) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "domain '" + d.name() + "' not running");
        }
        o.state = DomainStateReason.paused(PausedReason.USER);
        domains.emit(o, 3, 0);
    }

    void resume(DomainRef d) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        if (o.state.state() != DomainInfo.DomainState.VIR_DOMAIN_PAUSED) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "domain '" + d.name() + "' not paused");
        }
        o.state = DomainStateReason.running(RunningReason.UNPAUSED);
        domains.emit(o, 4, 0);
    }

    void undefine(DomainRef d, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.Undefine.MANAGED_SAVE | Flags.Undefine.SNAPSHOTS_METADATA
                | Flags.Undefine.CHECKPOINTS_METADATA, "testDomainUndefineFlags");
        TestDomainObj o = domains.obj(d);
        if (o.hasManagedSave && (flags & Flags.Undefine.MANAGED_SAVE) == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "Refusing to undefine while domain managed save image exists");
        }
        if (!o.isActive() && o.snapshots.size() > 0 && (flags & Flags.Undefine.SNAPSHOTS_METADATA) == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "cannot delete inactive domain with " + o.snapshots.size() + " snapshots");
        }
        domains.emit(o, 1, 0);
        o.hasManagedSave = false;
        if (o.isActive()) {
            o.persistent = false;
            o.newDef = null;
        } else {
            domains.remove(o);
        }
    }

    /** testDomainRename: inactive domains only, to a name no other domain has. */
    void rename(DomainRef d, String newName, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainRename");
        TestDomainObj o = domains.obj(d);
        if (o.isActive()) throw invalid("cannot rename active domain");
        if (!o.persistent) throw invalid("cannot rename a transient domain");
        if (o.def.name().equals(newName)) throw invalid("Can't rename domain to itself");
        if (domains.byName(newName) != null) throw invalid("domain with name '" + newName + "' already exists");
        o.def.setName(newName);
        domains.emit(o, 1, 1);
        domains.emit(o, 0, 2);
    }

    /** testDomainReset: nothing to do but check that it runs (paused counts). */
    void reset(DomainRef d, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainReset");
        checkActive(domains.obj(d));
    }

    private static LibvirtException invalid(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_DOMAIN, message);
    }
}
