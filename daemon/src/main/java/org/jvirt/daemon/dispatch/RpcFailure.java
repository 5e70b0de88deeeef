package org.jvirt.daemon.dispatch;

import org.jvirt.rpc.RemoteError;

/** A call refused by the RPC layer itself (a limit, a malformed request), with libvirtd's error. */
final class RpcFailure extends RuntimeException {
    final transient RemoteError error;

    RpcFailure(RemoteError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    static RpcFailure rpc(String message) {
        return new RpcFailure(WireErrors.rpc(message));
    }
}
