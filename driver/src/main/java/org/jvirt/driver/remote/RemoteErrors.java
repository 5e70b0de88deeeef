package org.jvirt.driver.remote;

import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorLevel;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.RemoteError;

/** The daemon's errors as the caller's LibvirtException, and the client side's own RPC errors. */
final class RemoteErrors {
    private RemoteErrors() { }

    /**
     * The daemon's error with its code, domain and (already composed) message. As libvirt's
     * client does, "unknown procedure" from an older daemon becomes NO_SUPPORT so callers
     * degrade; numbers jvirt has no constant for keep their message as an internal error.
     */
    static LibvirtException toException(RemoteError e) {
        String message = e.message() != null ? e.message() : "unknown error";
        ErrorNumber code = number(e.code());
        ErrorDomain domain = domain(e.domain());
        if (e.code() == ErrorNumber.VIR_ERR_RPC.code() && message.startsWith("unknown procedure")) {
            code = ErrorNumber.VIR_ERR_NO_SUPPORT;
            domain = ErrorDomain.VIR_FROM_REMOTE;
        }
        ErrorLevel level = e.level() == 1 ? ErrorLevel.VIR_ERR_WARNING : ErrorLevel.VIR_ERR_ERROR;
        return new LibvirtException(new Error(code, domain, level, message));
    }

    private static ErrorNumber number(int code) {
        for (ErrorNumber n : ErrorNumber.values()) if (n.code() == code) return n;
        return ErrorNumber.VIR_ERR_INTERNAL_ERROR;
    }

    private static ErrorDomain domain(int code) {
        for (ErrorDomain d : ErrorDomain.values()) if (d.code() == code) return d;
        return ErrorDomain.VIR_FROM_REMOTE;
    }

    /** A reply that does not decode or a frame that breaks the protocol. */
    static LibvirtException rpc(String message) {
        return LibvirtException.unprefixed(ErrorNumber.VIR_ERR_RPC, ErrorDomain.VIR_FROM_RPC, message);
    }

    static LibvirtException internal(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_RPC, message);
    }
}
