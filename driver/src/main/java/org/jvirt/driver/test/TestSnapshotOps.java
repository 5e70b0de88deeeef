package org.jvirt.driver.test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
import org.jvirt.driver.def.SnapshotDiskAlign;
import org.jvirt.driver.def.SnapshotXmlChecks;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.SnapshotRef;

/**
 * The test driver's snapshot operations: create, list and filter, look up, delete (with
 * children) and revert, on each domain's {@link TestSnapshots}. Callers serialize calls.
 */
final class TestSnapshotOps {

    private final TestDomains domains;
    private final Clock clock;

    TestSnapshotOps(TestDomains domains, Clock clock) {
        this.domains = domains;
        this.clock = clock;
    }

    private TestSnapshot snap(TestDomainObj o, String name) throws LibvirtException {
        TestSnapshot s = o.snapshots.get(name);
        if (s == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "no domain snapshot with matching name '" + name + "'");
        }
        return s;
    }

    /** testDomainSnapshotCreateXML: a new internal snapshot, or with REDEFINE the metadata given. */
    SnapshotRef createXML(DomainRef d, String xml, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.SnapshotCreate.REDEFINE | Flags.SnapshotCreate.CURRENT | Flags.SnapshotCreate.HALT
                | Flags.SnapshotCreate.QUIESCE | Flags.SnapshotCreate.ATOMIC | Flags.SnapshotCreate.LIVE
                | Flags.SnapshotCreate.VALIDATE, "testDomainSnapshotCreateXML");
        boolean redefine = (flags & Flags.SnapshotCreate.REDEFINE) != 0;
        TestDomainObj o = domains.obj(d);
        if (!o.persistent && (flags & Flags.SnapshotCreate.HALT) != 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "cannot halt after transient domain snapshot");
        }
        SnapshotRequest req = SnapshotRequest.parse(xml);
        if (redefine) {
            TestSnapshot s = redefine(o, req);
            if ((flags & Flags.SnapshotCreate.CURRENT) != 0) o.snapshots.setCurrent(s.name);
            return new SnapshotRef(o.ref(), s.name);
        }
        long now = clock.instant().getEpochSecond();
        String name = req.name() != null ? req.name() : Long.toString(now);
        SnapshotXmlChecks.check(req, false); // the test driver parses as for a running domain, even a shut-off one
        String memory = req.memory() == null || req.memory().isEmpty() ? (req.memoryFile() != null ? "external" : null) : req.memory();
        boolean externalMemory = "external".equals(memory);
        List<String[]> disks = SnapshotDiskAlign.align(o.def.model(), req.disks(), name,
                externalMemory ? "external" : "internal", true);
        if (o.snapshots.get(name) != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "domain moment " + name + " already exists");
        }
        TestSnapshot current = o.snapshots.current();
        String state = stateName(o);
        TestSnapshot s = new TestSnapshot(name, req.description(), state, now, o.def.copy(), disks,
                externalMemory ? "external" : state.equals("shutoff") ? "no" : "internal", current == null ? null : current.name);
        if (externalMemory) s.memoryFile = req.memoryFile();
        o.snapshots.add(s);
        if ((flags & Flags.SnapshotCreate.HALT) != 0 && o.isActive()) {
            domains.shutdownState(o, ShutoffReason.FROM_SNAPSHOT);
            domains.emit(o, 5, 6);
        }
        o.snapshots.setCurrent(name);
        return new SnapshotRef(o.ref(), name);
    }

    private static String stateName(TestDomainObj o) {
        return switch (o.state.state()) {
            case VIR_DOMAIN_RUNNING -> "running";
            case VIR_DOMAIN_PAUSED -> "paused";
            case VIR_DOMAIN_SHUTOFF -> "shutoff";
            default -> o.state.state().name().substring("VIR_DOMAIN_".length()).toLowerCase();
        };
    }

    /** virDomainSnapshotRedefinePrep: the metadata as given, replacing a snapshot of that name. */
    private TestSnapshot redefine(TestDomainObj o, SnapshotRequest req) throws LibvirtException {
        if (req.name() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "a redefined snapshot must have a name");
        }
        if (req.domainXml() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "missing domain in snapshot");
        }
        String state = req.state() != null ? req.state() : "shutoff";
        long time = req.creationTime() != null ? req.creationTime() : clock.instant().getEpochSecond();
        TestSnapshot s = new TestSnapshot(req.name(), req.description(), state, time,
                domains.parseDefinition(req.domainXml()), req.disks(),
                req.memory() != null && !req.memory().isEmpty() ? req.memory() : state.equals("shutoff") ? "no" : "internal",
                req.parent());
        o.snapshots.add(s);
        return s;
    }

    List<String> listNames(DomainRef d, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        List<String> out = new ArrayList<>();
        for (TestSnapshot s : o.snapshots.all()) {
            if ((flags & Flags.SnapshotList.ROOTS) != 0 && s.parent != null) continue;
            if (filter(o, s, flags)) out.add(s.name);
        }
        return out;
    }

    private static boolean filter(TestDomainObj o, TestSnapshot s, int flags) {
        boolean leaf = o.snapshots.children(s.name).isEmpty();
        // each of the two excludes its own kind, so asking for both lists nothing (as libvirt does)
        if ((flags & Flags.SnapshotList.LEAVES) != 0 && !leaf) return false;
        if ((flags & Flags.SnapshotList.NO_LEAVES) != 0 && leaf) return false;
        if ((flags & Flags.SnapshotList.NO_METADATA) != 0 && (flags & Flags.SnapshotList.METADATA) == 0) return false;
        int states = Flags.SnapshotList.INACTIVE | Flags.SnapshotList.ACTIVE | Flags.SnapshotList.DISK_ONLY;
        if ((flags & states) != 0) {
            boolean ok = s.state.equals("shutoff") ? (flags & Flags.SnapshotList.INACTIVE) != 0
                    : (flags & Flags.SnapshotList.ACTIVE) != 0;
            if (!ok) return false;
        }
        int locations = Flags.SnapshotList.INTERNAL | Flags.SnapshotList.EXTERNAL;
        if ((flags & locations) == 0) return true;
        return (flags & (external(s) ? Flags.SnapshotList.EXTERNAL : Flags.SnapshotList.INTERNAL)) != 0;
    }

    /** virDomainSnapshotIsExternal: the memory or a disk saved outside the images. */
    private static boolean external(TestSnapshot s) {
        if ("external".equals(s.memory)) return true;
        for (String[] d : s.disks) if ("external".equals(d[1])) return true;
        return false;
    }

    SnapshotRef lookupByName(DomainRef d, String name) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        return new SnapshotRef(o.ref(), snap(o, name).name);
    }

    boolean hasCurrent(DomainRef d) throws LibvirtException {
        return domains.obj(d).snapshots.current() != null;
    }

    SnapshotRef current(DomainRef d) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        TestSnapshot c = o.snapshots.current();
        if (c == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "the domain does not have a current snapshot");
        }
        return new SnapshotRef(o.ref(), c.name);
    }

    String getXMLDesc(SnapshotRef s, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(s.domain());
        return snap(o, s.name()).format();
    }

    String parentName(SnapshotRef s) throws LibvirtException {
        return snap(domains.obj(s.domain()), s.name()).parent;
    }

    boolean isCurrent(SnapshotRef s) throws LibvirtException {
        TestDomainObj o = domains.obj(s.domain());
        TestSnapshot snap = snap(o, s.name());
        return snap == o.snapshots.current();
    }

    List<String> listChildrenNames(SnapshotRef s, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(s.domain());
        TestSnapshot root = snap(o, s.name());
        List<String> out = new ArrayList<>();
        collectChildren(o, root.name, (flags & Flags.SnapshotList.DESCENDANTS) != 0, flags, out);
        return out;
    }

    private static void collectChildren(TestDomainObj o, String parent, boolean deep, int flags, List<String> out) {
        for (TestSnapshot c : o.snapshots.children(parent)) {
            if (filter(o, c, flags)) out.add(c.name);
            if (deep) collectChildren(o, c.name, true, flags, out);
        }
    }

    void delete(SnapshotRef s, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.SnapshotDelete.CHILDREN | Flags.SnapshotDelete.CHILDREN_ONLY, "testDomainSnapshotDelete");
        TestDomainObj o = domains.obj(s.domain());
        TestSnapshot snap = snap(o, s.name());
        boolean children = (flags & Flags.SnapshotDelete.CHILDREN) != 0;
        boolean childrenOnly = (flags & Flags.SnapshotDelete.CHILDREN_ONLY) != 0;
        if (children || childrenOnly) {
            List<String> desc = new ArrayList<>();
            collectChildren(o, snap.name, true, 0, desc);
            boolean hadCurrent = false;
            for (String n : desc) {
                if (o.snapshots.current() != null && o.snapshots.current().name.equals(n)) hadCurrent = true;
                o.snapshots.remove(n);
            }
            if (hadCurrent) o.snapshots.setCurrent(snap.name);
        } else {
            for (TestSnapshot c : o.snapshots.children(snap.name)) c.parent = snap.parent;
        }
        if (!childrenOnly) {
            if (snap == o.snapshots.current()) {
                o.snapshots.setCurrent(snap.parent != null && o.snapshots.get(snap.parent) != null ? snap.parent : null);
            }
            o.snapshots.remove(snap.name);
        }
    }

    void revert(SnapshotRef s, int flags) throws LibvirtException {
        TestDomainObj o = domains.obj(s.domain());
        TestSnapshot snap = snap(o, s.name());
        o.snapshots.setCurrent(null);
        DomainDefinition config = snap.domain.copy();
        if (snap.state.equals("running") || snap.state.equals("paused")) {
            // libvirt 9.0's test driver stops an active domain and starts it again from the
            // snapshot (a new id, "running (from snapshot)"), as seen against the real libvirtd
            if (o.isActive()) {
                domains.emit(o, 5, 6);
                domains.shutdownState(o, ShutoffReason.FROM_SNAPSHOT);
            }
            TestDomains.assignDef(o, config, false);
            domains.startState(o, RunningReason.FROM_SNAPSHOT);
            domains.emit(o, 2, 3);
            if (snap.state.equals("paused")) o.state = DomainStateReason.paused(PausedReason.FROM_SNAPSHOT);
        } else {
            TestDomains.assignDef(o, config, false);
            if (o.isActive()) {
                domains.emit(o, 5, 6);
                domains.shutdownState(o, ShutoffReason.FROM_SNAPSHOT);
            }
        }
        o.snapshots.setCurrent(snap.name);
    }
}
