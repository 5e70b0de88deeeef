package org.jvirt.daemon.dispatch;

import java.util.function.Consumer;
import org.jvirt.daemon.session.ClientSession;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.api.Interface;
import org.jvirt.driver.api.Network;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StorageVol;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.InterfaceRef;
import org.jvirt.driver.spi.NetworkRef;
import org.jvirt.driver.spi.StoragePoolRef;
import org.jvirt.driver.spi.StorageVolRef;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.RemoteDomain;
import org.jvirt.rpc.RemoteInterface;
import org.jvirt.rpc.RemoteNetwork;
import org.jvirt.rpc.RemoteSnapshot;
import org.jvirt.rpc.RemoteStoragePool;
import org.jvirt.rpc.RemoteStorageVol;
import org.jvirt.rpc.Uuids;
import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;

/** One call being served: its header, argument reader, return writer, and the session. */
final class Call {
    final MessageHeader header;
    final XdrReader args;
    final XdrWriter ret = new XdrWriter();
    final ClientSession session;
    final SessionState state;
    final DaemonContext daemon;
    /** Set by a handler that answered itself (a stream's call replies before its data). */
    boolean replied;

    Call(MessageHeader header, XdrReader args, ClientSession session, SessionState state, DaemonContext daemon) {
        this.header = header;
        this.args = args;
        this.session = session;
        this.state = state;
        this.daemon = daemon;
    }

    Connect conn() {
        return state.conn;
    }

    /** A remote_nonnull_domain argument as a handle (no lookup, as libvirtd's get_nonnull_domain). */
    Domain domain() throws XdrException {
        return conn().domainFor(toRef(RemoteDomain.decode(args)));
    }

    DomainSnapshot snapshot() throws XdrException {
        RemoteSnapshot s = RemoteSnapshot.decode(args);
        return conn().domainFor(toRef(s.domain())).snapshotFor(s.name());
    }

    static DomainRef toRef(RemoteDomain d) {
        return new DomainRef(d.name(), Uuids.format(d.uuid()), d.id());
    }

    static RemoteDomain toWire(DomainRef r) {
        return new RemoteDomain(r.name(), Uuids.parse(r.uuid()), r.id());
    }

    void writeDomain(Domain d) {
        toWire(d.ref()).encode(ret);
    }

    void writeSnapshot(DomainSnapshot s) {
        ret.writeString(s.getName());
        writeDomain(s.getDomain());
    }

    int readInt() throws XdrException {
        return args.readInt();
    }

    String readString(String what) throws XdrException {
        return args.readString(what);
    }

    String readOptionalString(String what) throws XdrException {
        return args.readOptionalString(what);
    }

    /** A remote_nonnull_network argument as a handle (no lookup, as libvirtd's get_nonnull_network). */
    Network network() throws XdrException {
        RemoteNetwork n = RemoteNetwork.decode(args);
        return conn().networkFor(new NetworkRef(n.name(), Uuids.format(n.uuid())));
    }

    StoragePool storagePool() throws XdrException {
        RemoteStoragePool p = RemoteStoragePool.decode(args);
        return conn().storagePoolFor(new StoragePoolRef(p.name(), Uuids.format(p.uuid())));
    }

    StorageVol storageVol() throws XdrException {
        RemoteStorageVol v = RemoteStorageVol.decode(args);
        return conn().storageVolFor(new StorageVolRef(v.pool(), v.name(), v.key()));
    }

    Interface iface() throws XdrException {
        RemoteInterface i = RemoteInterface.decode(args);
        return conn().interfaceFor(new InterfaceRef(i.name(), i.mac()));
    }

    /** A remote_uuid argument in libvirt's printed form. */
    String readUuid() throws XdrException {
        return Uuids.format(args.readFixedOpaque(Limits.UUID_BUFLEN, "uuid"));
    }

    void writeNetwork(Network n) {
        new RemoteNetwork(n.getName(), Uuids.parse(n.getUUIDString())).encode(ret);
    }

    void writeStoragePool(StoragePool p) {
        new RemoteStoragePool(p.getName(), Uuids.parse(p.getUUIDString())).encode(ret);
    }

    void writeStorageVol(StorageVol v) {
        new RemoteStorageVol(v.ref().pool(), v.getName(), v.getKey()).encode(ret);
    }

    void writeInterface(Interface i) {
        new RemoteInterface(i.getName(), i.getMACString()).encode(ret);
    }

    /**
     * A virConnectListAll* / virStoragePoolListAllVolumes answer: the objects when the client
     * asked for them (need_results), then their count.
     */
    <T> void writeAll(int needResults, T[] all, Consumer<T> each) {
        if (needResults != 0) {
            ret.writeInt(all.length);
            for (T t : all) each.accept(t);
        } else {
            ret.writeInt(0);
        }
        ret.writeInt(all.length);
    }

    /** A maxnames argument: libvirtd refuses one past the protocol's limit ("maxnames > LIMIT"). */
    int readMaxNames(int limit, String limitName) throws XdrException {
        int max = args.readInt();
        if (max > limit) throw RpcFailure.rpc("maxnames > " + limitName);
        return Math.max(0, max);
    }

    /** Names answered to an old-style list call: at most max of them. */
    void writeNames(String[] names, int max) {
        int n = Math.min(max, names.length);
        ret.writeInt(n);
        for (int i = 0; i < n; i++) ret.writeString(names[i]);
    }
}
