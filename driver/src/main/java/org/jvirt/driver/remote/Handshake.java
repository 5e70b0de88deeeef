package org.jvirt.driver.remote;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.Features;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrWriter;

/**
 * The opening of a connection as libvirt's remote driver does it (spec §4): AUTH_LIST, the
 * keepalive feature, CONNECT_OPEN with the URI's name, then the features the client relies on.
 */
final class Handshake {
    private Handshake() { }

    /** virsh's keepalive: a PING after 5 s of silence, the connection dropped after 6 unanswered. */
    static final int KEEPALIVE_INTERVAL = 5;
    static final int KEEPALIVE_COUNT = 6;

    /** What the daemon said it supports. */
    record Result(String uri, boolean keepalive, boolean eventCallbacks, boolean typedParamString) { }

    static Result run(RpcClient rpc, RemoteUri uri, boolean readOnly, int keepaliveInterval, int keepaliveCount) throws LibvirtException {
        authenticate(rpc);
        boolean keepalive = supports(rpc, Features.PROGRAM_KEEPALIVE);
        if (keepalive) rpc.setKeepalive(keepaliveInterval, keepaliveCount);
        XdrWriter open = new XdrWriter().writeOptionalString(uri.openName()).writeInt(readOnly ? 1 : 0);
        rpc.call(RemoteProcedure.CONNECT_OPEN, open, ReplyDecoder.NONE);
        String canonical = uri.original();
        if (uri.openName().isEmpty()) {
            // the daemon chose the driver: ask which, as libvirt does
            canonical = rpc.call(RemoteProcedure.CONNECT_GET_URI, null, r -> r.readString("uri"));
        }
        return new Result(canonical, keepalive, supports(rpc, Features.REMOTE_EVENT_CALLBACK), supports(rpc, Features.TYPED_PARAM_STRING));
    }

    /** Only "none" is spoken: SASL and polkit are refused as a client built without them does. */
    private static void authenticate(RpcClient rpc) throws LibvirtException {
        int[] types;
        try {
            types = rpc.call(RemoteProcedure.AUTH_LIST, null, r -> {
                int n = r.readCount(Limits.AUTH_TYPE_LIST_MAX, 4, "auth types");
                int[] t = new int[n];
                for (int i = 0; i < n; i++) t[i] = r.readInt();
                return t;
            });
        } catch (LibvirtException e) {
            if (e.code() == ErrorNumber.VIR_ERR_NO_SUPPORT) return; // a daemon older than authentication
            throw e;
        }
        if (types.length == 0 || types[0] == 0) return;
        String name = switch (types[0]) {
            case 1 -> "sasl";
            case 2 -> "polkit";
            default -> "unknown";
        };
        throw LibvirtException.unprefixed(ErrorNumber.VIR_ERR_AUTH_FAILED, ErrorDomain.VIR_FROM_REMOTE,
                "authentication failed: unsupported authentication type " + types[0] + " (" + name + ")");
    }

    static boolean supports(RpcClient rpc, int feature) throws LibvirtException {
        return rpc.call(RemoteProcedure.CONNECT_SUPPORTS_FEATURE, new XdrWriter().writeInt(feature), r -> r.readInt()) != 0;
    }
}
