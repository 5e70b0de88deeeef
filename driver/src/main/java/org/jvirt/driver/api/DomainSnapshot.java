package org.jvirt.driver.api;

import org.jvirt.driver.spi.SnapshotRef;

/** A domain snapshot (virDomainSnapshot), shaped after libvirt-java's DomainSnapshot. */
public class DomainSnapshot {

    private final Domain domain;
    private final SnapshotRef ref;

    DomainSnapshot(Domain domain, SnapshotRef ref) {
        this.domain = domain;
        this.ref = ref;
    }

    public String getName() { return ref.name(); }

    public Domain getDomain() { return domain; }

    public String getXMLDesc() throws LibvirtException { return getXMLDesc(0); }

    public String getXMLDesc(int flags) throws LibvirtException {
        return domain.conn().driver().snapshotGetXMLDesc(ref, flags);
    }

    /** The parent snapshot's name, or null for a root. */
    public String getParentName() throws LibvirtException {
        return domain.conn().driver().snapshotParentName(ref);
    }

    /** The parent snapshot (virDomainSnapshotGetParent); a root has none: VIR_ERR_NO_DOMAIN_SNAPSHOT. */
    public DomainSnapshot getParent() throws LibvirtException {
        String parent = getParentName();
        if (parent == null) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, Error.ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "snapshot '" + getName() + "' does not have a parent");
        }
        return new DomainSnapshot(domain, new SnapshotRef(ref.domain(), parent));
    }

    /** The children (with Flags.SnapshotList.DESCENDANTS all descendants), filtered by the other list flags. */
    public java.util.List<DomainSnapshot> listAllChildren(int flags) throws LibvirtException {
        java.util.List<DomainSnapshot> out = new java.util.ArrayList<>();
        for (String n : listChildrenNames(flags)) out.add(new DomainSnapshot(domain, new SnapshotRef(ref.domain(), n)));
        return out;
    }

    public boolean isCurrent() throws LibvirtException {
        return domain.conn().driver().snapshotIsCurrent(ref);
    }

    public String[] listChildrenNames(int flags) throws LibvirtException {
        return domain.conn().driver().snapshotListChildrenNames(ref, flags).toArray(new String[0]);
    }

    public int delete(int flags) throws LibvirtException {
        domain.conn().checkWritable("virDomainSnapshotDelete");
        if ((flags & Flags.SnapshotDelete.CHILDREN) != 0 && (flags & Flags.SnapshotDelete.CHILDREN_ONLY) != 0) {
            // the public API's VIR_EXCLUSIVE_FLAGS check, before any driver sees the call
            throw new LibvirtException(new Error(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    Error.ErrorLevel.VIR_ERR_ERROR,
                    "Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive"));
        }
        domain.conn().driver().snapshotDelete(ref, flags);
        return 0;
    }

    SnapshotRef ref() { return ref; }
}
