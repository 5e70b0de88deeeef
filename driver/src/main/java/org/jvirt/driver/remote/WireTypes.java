package org.jvirt.driver.remote;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.SnapshotRef;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.RemoteDomain;
import org.jvirt.rpc.RemoteSnapshot;
import org.jvirt.rpc.Uuids;
import org.jvirt.rpc.WireTypedParam;
import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;

/** Between the driver's handles and values and their wire structures. */
final class WireTypes {
    private WireTypes() { }

    static DomainRef ref(RemoteDomain d) {
        return new DomainRef(d.name(), d.uuidString(), d.id());
    }

    static RemoteDomain remote(DomainRef d) {
        byte[] uuid = Uuids.parse(d.uuid());
        return new RemoteDomain(d.name(), uuid != null ? uuid : new byte[Limits.UUID_BUFLEN], d.id());
    }

    static RemoteSnapshot remote(SnapshotRef s) {
        return new RemoteSnapshot(s.name(), remote(s.domain()));
    }

    /** Arguments that start with the domain. */
    static XdrWriter args(DomainRef d) {
        XdrWriter w = new XdrWriter();
        remote(d).encode(w);
        return w;
    }

    static XdrWriter args(SnapshotRef s) {
        XdrWriter w = new XdrWriter();
        remote(s).encode(w);
        return w;
    }

    static DomainRef readDomain(XdrReader r) throws XdrException {
        return ref(RemoteDomain.decode(r));
    }

    static List<DomainRef> readDomains(XdrReader r) throws XdrException {
        int n = r.readCount(Limits.DOMAIN_LIST_MAX, 24, "domains");
        List<DomainRef> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(readDomain(r));
        return out;
    }

    /** A list of snapshots (remote_nonnull_domain_snapshot[]), by name. */
    static List<String> readSnapshotNames(XdrReader r) throws XdrException {
        int n = r.readCount(Limits.DOMAIN_LIST_MAX, 28, "snapshots");
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(RemoteSnapshot.decode(r).name());
        return out;
    }

    /** char x[N] (fixed): rpcgen gives each char a 4-byte unit; the text ends at the first NUL. */
    static String readFixedChars(XdrReader r, int n) throws XdrException {
        StringBuilder sb = new StringBuilder();
        boolean ended = false;
        for (int i = 0; i < n; i++) {
            int c = r.readInt() & 0xff;
            if (c == 0) ended = true;
            if (!ended) sb.append((char) c);
        }
        return sb.toString();
    }

    /** char x&lt;N&gt; (counted): a count, then a 4-byte unit per char; libvirtd counts the NUL. */
    static String readCountedChars(XdrReader r, int max, String what) throws XdrException {
        int n = r.readCount(max, 4, what);
        return readFixedChars(r, n);
    }

    static TypedParameter param(WireTypedParam p) {
        return WireTypedParams.toApi(p);
    }

    static List<TypedParameter> params(List<WireTypedParam> wire) {
        List<TypedParameter> out = new ArrayList<>(wire.size());
        for (WireTypedParam p : wire) out.add(param(p));
        return out;
    }

    static WireTypedParam wire(TypedParameter p) {
        return WireTypedParams.toWire(p);
    }

    /** Arguments that start with an object named by name and uuid (network, storage pool). */
    static XdrWriter nameAndUuid(String name, String uuid) throws LibvirtException {
        byte[] u = uuid(uuid);
        return new XdrWriter().writeString(name).writeFixedOpaque(u, 0, u.length);
    }

    /** Such an object from a reply: its name and uuid text. */
    static String[] readNameAndUuid(XdrReader r, String what) throws XdrException {
        String name = r.readString(what + " name");
        return new String[] {name, Uuids.format(r.readFixedOpaque(Limits.UUID_BUFLEN, what + " uuid"))};
    }

    /** A uuid string as virDomainLookupByUUIDString checks it. */
    static byte[] uuid(String text) throws LibvirtException {
        byte[] u = text == null ? null : Uuids.parse(text.trim());
        if (u == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_DOMAIN, "uuidstr in virDomainLookupByUUIDString");
        }
        return u;
    }
}
