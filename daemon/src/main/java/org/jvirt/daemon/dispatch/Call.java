package org.jvirt.daemon.dispatch;

import org.jvirt.daemon.session.ClientSession;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.RemoteDomain;
import org.jvirt.rpc.RemoteSnapshot;
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
}
