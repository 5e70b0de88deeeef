package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.rpc.Limits;

/** Domain snapshots: create, list, look up, describe, revert, delete. */
final class SnapshotProcedures {
    private SnapshotProcedures() { }

    static void register(ProcedureTable t) {
        t.add(DOMAIN_SNAPSHOT_CREATE_XML, "virDomainSnapshotCreateXML", Access.WRITE, c -> {
            Domain d = c.domain();
            String xml = c.readString("xml_desc");
            c.writeSnapshot(d.snapshotCreateXML(xml, c.readInt()));
        });
        t.add(DOMAIN_LIST_ALL_SNAPSHOTS, "virDomainListAllSnapshots", Access.READ, c -> {
            Domain d = c.domain();
            int need = c.readInt();
            List<DomainSnapshot> all = d.listAllSnapshots(c.readInt());
            writeList(c, need, all);
        });
        t.add(DOMAIN_SNAPSHOT_NUM, "virDomainSnapshotNum", Access.READ, c -> {
            Domain d = c.domain();
            c.ret.writeInt(d.snapshotListNames(c.readInt()).length);
        });
        t.add(DOMAIN_SNAPSHOT_LIST_NAMES, "virDomainSnapshotListNames", Access.READ, c -> {
            Domain d = c.domain();
            int max = c.readInt();
            if (max > Limits.DOMAIN_LIST_MAX) throw RpcFailure.rpc("maxnames > REMOTE_DOMAIN_SNAPSHOT_LIST_MAX");
            writeNames(c, d.snapshotListNames(c.readInt()), max);
        });
        t.add(DOMAIN_SNAPSHOT_LOOKUP_BY_NAME, "virDomainSnapshotLookupByName", Access.READ, c -> {
            Domain d = c.domain();
            String name = c.readString("name");
            c.readInt();
            c.writeSnapshot(d.snapshotLookupByName(name));
        });
        t.add(DOMAIN_SNAPSHOT_GET_XML_DESC, "virDomainSnapshotGetXMLDesc", Access.READ, c -> {
            DomainSnapshot s = c.snapshot();
            c.ret.writeString(s.getXMLDesc(c.readInt()));
        });
        t.add(DOMAIN_SNAPSHOT_CURRENT, "virDomainSnapshotCurrent", Access.READ, c -> {
            Domain d = c.domain();
            c.readInt();
            c.writeSnapshot(d.snapshotCurrent());
        });
        t.add(DOMAIN_HAS_CURRENT_SNAPSHOT, "virDomainHasCurrentSnapshot", Access.READ, c -> {
            Domain d = c.domain();
            c.readInt();
            c.ret.writeInt(d.hasCurrentSnapshot() ? 1 : 0);
        });
        t.add(DOMAIN_SNAPSHOT_GET_PARENT, "virDomainSnapshotGetParent", Access.READ, c -> {
            DomainSnapshot s = c.snapshot();
            c.readInt();
            c.writeSnapshot(s.getParent());
        });
        t.add(DOMAIN_SNAPSHOT_IS_CURRENT, "virDomainSnapshotIsCurrent", Access.READ, c -> {
            DomainSnapshot s = c.snapshot();
            c.readInt();
            c.ret.writeInt(s.isCurrent() ? 1 : 0);
        });
        t.add(DOMAIN_SNAPSHOT_HAS_METADATA, "virDomainSnapshotHasMetadata", Access.READ, c -> {
            DomainSnapshot s = c.snapshot();
            c.readInt();
            s.getXMLDesc(0); // a missing snapshot is an error
            c.ret.writeInt(1); // every jvirt snapshot has its metadata
        });
        t.add(DOMAIN_REVERT_TO_SNAPSHOT, "virDomainRevertToSnapshot", Access.WRITE, c -> {
            DomainSnapshot s = c.snapshot();
            s.getDomain().revertToSnapshot(s, c.readInt());
        });
        t.add(DOMAIN_SNAPSHOT_DELETE, "virDomainSnapshotDelete", Access.WRITE, c -> {
            DomainSnapshot s = c.snapshot();
            s.delete(c.readInt());
        });
        t.add(DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN, "virDomainSnapshotListAllChildren", Access.READ, c -> {
            DomainSnapshot s = c.snapshot();
            int need = c.readInt();
            writeList(c, need, s.listAllChildren(c.readInt()));
        });
        t.add(DOMAIN_SNAPSHOT_NUM_CHILDREN, "virDomainSnapshotNumChildren", Access.READ, c -> {
            DomainSnapshot s = c.snapshot();
            c.ret.writeInt(s.listChildrenNames(c.readInt()).length);
        });
        t.add(DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES, "virDomainSnapshotListChildrenNames", Access.READ, c -> {
            DomainSnapshot s = c.snapshot();
            int max = c.readInt();
            if (max > Limits.DOMAIN_LIST_MAX) throw RpcFailure.rpc("maxnames > REMOTE_DOMAIN_SNAPSHOT_LIST_MAX");
            writeNames(c, s.listChildrenNames(c.readInt()), max);
        });
    }

    private static void writeList(Call c, int need, List<DomainSnapshot> all) {
        if (need != 0) {
            c.ret.writeInt(all.size());
            for (DomainSnapshot s : all) c.writeSnapshot(s);
        } else {
            c.ret.writeInt(0);
        }
        c.ret.writeInt(all.size());
    }

    private static void writeNames(Call c, String[] names, int max) {
        int n = Math.min(Math.max(0, max), names.length);
        c.ret.writeInt(n);
        for (int i = 0; i < n; i++) c.ret.writeString(names[i]);
    }
}
