package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.NodeInfo;
import org.jvirt.driver.api.SecurityModel;
import org.jvirt.rpc.Features;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.XdrWriter;

/** The connection's own procedures: authentication, features, open/close, host information. */
final class ConnectProcedures {
    private ConnectProcedures() { }

    private static final int REMOTE_AUTH_NONE = 0;
    private static final int VIR_CONNECT_RO = 1;

    static void register(ProcedureTable t) {
        t.add(AUTH_LIST, "virConnectAuthList", Access.NO_CONNECTION, c -> c.ret.writeInt(1).writeInt(REMOTE_AUTH_NONE));
        t.add(CONNECT_SUPPORTS_FEATURE, "virConnectSupportsFeature", Access.NO_CONNECTION, ConnectProcedures::supportsFeature);
        t.add(CONNECT_OPEN, "virConnectOpen", Access.NO_CONNECTION, ConnectProcedures::open);
        t.add(CONNECT_CLOSE, "virConnectClose", Access.READ, c -> {
            Connect conn = c.state.conn;
            c.state.events.clear();
            c.state.conn = null;
            c.daemon.release(conn);
        });
        t.add(CONNECT_REGISTER_CLOSE_CALLBACK, "virConnectRegisterCloseCallback", Access.READ, c -> { });
        t.add(CONNECT_UNREGISTER_CLOSE_CALLBACK, "virConnectUnregisterCloseCallback", Access.READ, c -> { });
        t.add(CONNECT_GET_TYPE, "virConnectGetType", Access.READ, c -> c.ret.writeString(c.conn().getType()));
        t.add(CONNECT_GET_VERSION, "virConnectGetVersion", Access.READ, c -> c.ret.writeHyper(c.conn().getVersion()));
        t.add(CONNECT_GET_LIB_VERSION, "virConnectGetLibVersion", Access.READ, c -> c.ret.writeHyper(c.conn().getLibVersion()));
        t.add(CONNECT_GET_HOSTNAME, "virConnectGetHostname", Access.READ, c -> c.ret.writeString(c.conn().getHostName()));
        t.add(CONNECT_GET_URI, "virConnectGetURI", Access.READ, c -> c.ret.writeString(c.state.uri));
        t.add(CONNECT_GET_CAPABILITIES, "virConnectGetCapabilities", Access.READ, c -> c.ret.writeString(c.conn().getCapabilities()));
        t.add(CONNECT_GET_DOMAIN_CAPABILITIES, "virConnectGetDomainCapabilities", Access.READ, c -> {
            String emulator = c.readOptionalString("emulatorbin");
            String arch = c.readOptionalString("arch");
            String machine = c.readOptionalString("machine");
            String virttype = c.readOptionalString("virttype");
            int flags = c.readInt();
            c.ret.writeString(c.conn().getDomainCapabilities(emulator, arch, machine, virttype, flags));
        });
        t.add(CONNECT_GET_SYSINFO, "virConnectGetSysinfo", Access.READ, c -> {
            c.readInt();
            c.ret.writeString(c.conn().getSysinfo());
        });
        t.add(CONNECT_IS_SECURE, "virConnectIsSecure", Access.READ, c -> c.ret.writeInt(c.session.secure() ? 1 : 0));
        t.add(NODE_GET_INFO, "virNodeGetInfo", Access.READ, c -> nodeInfo(c.conn().nodeInfo(), c.ret));
        t.add(NODE_GET_FREE_MEMORY, "virNodeGetFreeMemory", Access.READ, c -> c.ret.writeHyper(c.conn().getFreeMemory()));
        t.add(NODE_GET_CELLS_FREE_MEMORY, "virNodeGetCellsFreeMemory", Access.READ, c -> {
            int start = c.readInt();
            int max = c.readInt();
            if (max > Limits.CELLS_MAX) throw RpcFailure.rpc("maxCells > REMOTE_NODE_MAX_CELLS");
            long[] free = c.conn().cellsFreeMemory(start, max);
            c.ret.writeInt(free.length);
            for (long f : free) c.ret.writeHyper(f);
        });
        t.add(NODE_GET_SECURITY_MODEL, "virNodeGetSecurityModel", Access.READ, c -> {
            SecurityModel m = c.conn().getSecurityModel();
            charArray(c.ret, m.model());
            charArray(c.ret, m.doi());
        });
    }

    private static void supportsFeature(Call c) throws org.jvirt.rpc.XdrException, org.jvirt.driver.api.LibvirtException {
        int feature = c.readInt();
        if (feature == Features.PROGRAM_KEEPALIVE) {
            // the client pings an idle daemon; libvirtd then pings the client too
            c.session.wantKeepalive();
            c.ret.writeInt(1);
            return;
        }
        if (c.state.conn == null) {
            c.session.replyError(c.header, WireErrors.internal("hypervisor connection not open"));
            c.replied = true;
            return;
        }
        boolean yes = switch (feature) {
            case Features.TYPED_PARAM_STRING, Features.XML_MIGRATABLE, Features.REMOTE_EVENT_CALLBACK,
                    Features.REMOTE_CLOSE_CALLBACK -> true;
            // virNetworkUpdate's arguments in their documented order (else libvirt's client swaps command and section)
            case Features.NETWORK_UPDATE_HAS_CORRECT_ORDER -> true;
            // migration v3 with parameters where the driver migrates (jvirt's); no change protection yet
            case Features.MIGRATION_V3, Features.MIGRATION_PARAMS -> c.conn().migrationSupported();
            case Features.MIGRATION_P2P, Features.MIGRATION_OFFLINE -> c.conn().supportsFeature(feature);
            default -> false;
        };
        c.ret.writeInt(yes ? 1 : 0);
    }

    private static void open(Call c) throws org.jvirt.driver.api.LibvirtException, org.jvirt.rpc.XdrException {
        String name = c.readOptionalString("name");
        int flags = c.readInt();
        synchronized (c.state) {
            if (c.state.conn != null) {
                c.session.replyError(c.header, WireErrors.internal("connection already open"));
                c.replied = true;
                return;
            }
            // a connection that came in on the read-only socket is read-only whatever it asks
            boolean readOnly = c.session.readOnlySocket() || (flags & VIR_CONNECT_RO) != 0;
            c.state.conn = c.daemon.open(name, readOnly);
            c.state.readOnly = readOnly;
            c.state.uri = c.daemon.canonicalUri(name);
        }
    }

    /** virNodeInfo on the wire: model is char[32], each char a 4-byte unit. */
    private static void nodeInfo(NodeInfo n, XdrWriter w) {
        byte[] model = n.model.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < 32; i++) w.writeInt(i < model.length && i < 31 ? model[i] : 0);
        w.writeHyper(n.memory).writeInt(n.cpus).writeInt(n.mhz).writeInt(n.nodes).writeInt(n.sockets).writeInt(n.cores).writeInt(n.threads);
    }

    /** char x&lt;N&gt;: a count then each char in a 4-byte unit, the trailing NUL counted (libvirtd sends strlen + 1). */
    static void charArray(XdrWriter w, String s) {
        if (s == null) s = "";
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        w.writeInt(b.length + 1);
        for (byte x : b) w.writeInt(x);
        w.writeInt(0);
    }
}
