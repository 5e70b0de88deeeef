package org.jvirt.driver.remote;

import static org.jvirt.driver.remote.WireTypes.args;
import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.List;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.SnapshotRef;
import org.jvirt.rpc.RemoteSnapshot;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrException;

/** A remote connection's snapshot calls (DOMAIN_SNAPSHOT_*, DOMAIN_LIST_ALL_SNAPSHOTS). */
final class RemoteSnapshots {
    private final RpcClient rpc;

    RemoteSnapshots(RpcClient rpc) {
        this.rpc = rpc;
    }

    private static SnapshotRef snapshot(XdrReader r) throws XdrException {
        RemoteSnapshot s = RemoteSnapshot.decode(r);
        return new SnapshotRef(WireTypes.ref(s.domain()), s.name());
    }

    SnapshotRef create(DomainRef d, String xml, int flags) throws LibvirtException {
        return rpc.call(DOMAIN_SNAPSHOT_CREATE_XML, args(d).writeString(xml).writeInt(flags), RemoteSnapshots::snapshot);
    }

    List<String> listNames(DomainRef d, int flags) throws LibvirtException {
        return rpc.call(DOMAIN_LIST_ALL_SNAPSHOTS, args(d).writeInt(1).writeInt(flags), r -> {
            List<String> names = WireTypes.readSnapshotNames(r);
            r.readInt(); // the count again
            return names;
        });
    }

    SnapshotRef lookup(DomainRef d, String name) throws LibvirtException {
        return rpc.call(DOMAIN_SNAPSHOT_LOOKUP_BY_NAME, args(d).writeString(name).writeInt(0), RemoteSnapshots::snapshot);
    }

    boolean hasCurrent(DomainRef d) throws LibvirtException {
        return rpc.call(DOMAIN_HAS_CURRENT_SNAPSHOT, args(d).writeInt(0), r -> r.readInt()) != 0;
    }

    SnapshotRef current(DomainRef d) throws LibvirtException {
        return rpc.call(DOMAIN_SNAPSHOT_CURRENT, args(d).writeInt(0), RemoteSnapshots::snapshot);
    }

    String xml(SnapshotRef s, int flags) throws LibvirtException {
        return rpc.call(DOMAIN_SNAPSHOT_GET_XML_DESC, args(s).writeInt(flags), r -> r.readString("snapshot xml"));
    }

    /** The parent's name; null for a root, which the daemon reports as "does not have a parent". */
    String parentName(SnapshotRef s) throws LibvirtException {
        try {
            return rpc.call(DOMAIN_SNAPSHOT_GET_PARENT, args(s).writeInt(0), r -> RemoteSnapshot.decode(r).name());
        } catch (LibvirtException e) {
            if (e.code() == ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT && e.getMessage().contains("does not have a parent")) return null;
            throw e;
        }
    }

    boolean isCurrent(SnapshotRef s) throws LibvirtException {
        return rpc.call(DOMAIN_SNAPSHOT_IS_CURRENT, args(s).writeInt(0), r -> r.readInt()) != 0;
    }

    List<String> childrenNames(SnapshotRef s, int flags) throws LibvirtException {
        return rpc.call(DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN, args(s).writeInt(1).writeInt(flags), r -> {
            List<String> names = WireTypes.readSnapshotNames(r);
            r.readInt();
            return names;
        });
    }

    void delete(SnapshotRef s, int flags) throws LibvirtException {
        rpc.call(DOMAIN_SNAPSHOT_DELETE, args(s).writeInt(flags), ReplyDecoder.NONE);
    }

    void revert(SnapshotRef s, int flags) throws LibvirtException {
        rpc.call(DOMAIN_REVERT_TO_SNAPSHOT, args(s).writeInt(flags), ReplyDecoder.NONE);
    }
}
