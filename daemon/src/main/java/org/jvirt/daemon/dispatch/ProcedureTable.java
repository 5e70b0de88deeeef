package org.jvirt.daemon.dispatch;

import java.util.HashMap;
import java.util.Map;
import org.jvirt.daemon.session.CallHandler;
import org.jvirt.daemon.session.ClientSession;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.XdrException;

/**
 * The REMOTE procedures jvirtd serves, and the checks libvirtd makes before any of them: a
 * known number ("unknown procedure: N" otherwise, which clients read as "not supported"), an
 * open connection where one is needed, write access for calls that change something (the
 * daemon refuses them to read-only clients itself, whatever the client library does), then
 * arguments that decode.
 */
public final class ProcedureTable implements CallHandler {
    private final Map<Integer, Procedure> procedures = new HashMap<>();
    private final DaemonContext daemon;

    private final org.jvirt.daemon.log.LogSink log;

    public ProcedureTable(DaemonContext daemon) {
        this(daemon, org.jvirt.daemon.log.LogSink.stderr());
    }

    public ProcedureTable(DaemonContext daemon, org.jvirt.daemon.log.LogSink log) {
        this.daemon = daemon;
        this.log = log;
        ConnectProcedures.register(this);
        DomainProcedures.register(this);
        DomainInfoProcedures.register(this);
        SnapshotProcedures.register(this);
        SaveProcedures.register(this);
        EventProcedures.register(this);
        StreamBridge.register(this);
        DisplayProcedures.register(this);
        StatsProcedures.register(this);
        MigrationProcedures.register(this);
        NetworkProcedures.register(this);
        StorageProcedures.register(this);
        InterfaceProcedures.register(this);
        NodeDeviceProcedures.register(this);
    }

    void add(int number, String api, Access access, Procedure.Handler h) {
        if (procedures.put(number, new Procedure(number, api, access, h)) != null) {
            throw new IllegalStateException("procedure " + number + " registered twice");
        }
    }

    /** The procedures served (for tests: every WRITE one must be refused to read-only clients). */
    public Map<Integer, String> writeProcedures() {
        Map<Integer, String> m = new HashMap<>();
        procedures.values().stream().filter(p -> p.access() == Access.WRITE).forEach(p -> m.put(p.number(), p.api()));
        return m;
    }

    static SessionState state(ClientSession s) {
        synchronized (s) {
            Object st = s.state();
            if (st == null) {
                st = new SessionState();
                s.setState(st);
            }
            return (SessionState) st;
        }
    }

    @Override
    public void call(ClientSession session, Frame frame) {
        MessageHeader h = frame.header();
        Procedure p = procedures.get(h.procedure());
        if (p == null) {
            session.replyError(h, WireErrors.rpc("unknown procedure: " + h.procedure()));
            return;
        }
        SessionState state = state(session);
        if (p.access() != Access.NO_CONNECTION && state.conn == null) {
            session.replyError(h, WireErrors.internal("hypervisor connection not open"));
            return;
        }
        if (p.access() == Access.WRITE && state.readOnly) {
            session.replyError(h, WireErrors.withTemplate(WireErrors.VIR_ERR_OPERATION_DENIED, domainOf(p.api()),
                    "operation forbidden: read only access prevents " + p.api(), "operation forbidden: %s"));
            return;
        }
        Call c = new Call(h, frame.reader(), session, state, daemon);
        try {
            p.handler().run(c);
            if (!c.replied) session.reply(h, c.ret);
        } catch (LibvirtException e) {
            if (!c.replied) session.replyError(h, WireErrors.of(e));
        } catch (XdrException e) {
            session.replyError(h, WireErrors.rpc("Unable to decode message payload"));
        } catch (RpcFailure e) {
            if (!c.replied) session.replyError(h, e.error);
        } catch (RuntimeException e) {
            // a bug of ours: the client gets an internal error, the log gets the trace
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            log.log(org.jvirt.daemon.log.Level.ERROR, "internal error in " + p.api() + ": " + trace);
            if (!c.replied) session.replyError(h, WireErrors.internal(String.valueOf(e.getMessage())));
        }
    }

    /**
     * libvirt reports read-only refusals from the API's own file: snapshot APIs
     * (libvirt-domain-snapshot.c) from VIR_FROM_DOMAIN_SNAPSHOT, other domain APIs from VIR_FROM_DOMAIN,
     * network, storage, interface and node device APIs from their files' domains.
     */
    private static int domainOf(String api) {
        if (api.startsWith("virDomain") && api.contains("Snapshot")) return WireErrors.VIR_FROM_DOMAIN_SNAPSHOT;
        if (api.startsWith("virDomain")) return WireErrors.VIR_FROM_DOMAIN;
        if (api.startsWith("virNetwork")) return Error.ErrorDomain.VIR_FROM_NETWORK.code();
        if (api.startsWith("virStorage")) return Error.ErrorDomain.VIR_FROM_STORAGE.code();
        if (api.startsWith("virInterface")) return Error.ErrorDomain.VIR_FROM_INTERFACE.code();
        if (api.startsWith("virNodeDevice")) return Error.ErrorDomain.VIR_FROM_NODEDEV.code();
        return WireErrors.VIR_FROM_NONE;
    }

    @Override
    public void closed(ClientSession session) {
        SessionState state = state(session);
        state.events.clear();
        for (StreamBridge b : state.streams) b.close();
        state.streams.clear();
        if (state.conn != null) {
            daemon.release(state.conn);
            state.conn = null;
        }
    }
}
