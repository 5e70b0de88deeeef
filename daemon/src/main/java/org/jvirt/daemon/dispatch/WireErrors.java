package org.jvirt.daemon.dispatch;

import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.rpc.RemoteError;

/**
 * Errors as libvirtd puts them on the wire: message the whole text, str1 the code's template
 * ("Domain not found: %s"), str2 the information put into it, int1/int2 -1 (captured).
 */
final class WireErrors {
    private WireErrors() { }

    static final int VIR_ERR_INTERNAL_ERROR = 1;
    static final int VIR_ERR_OPERATION_DENIED = 29;
    static final int VIR_ERR_RPC = 39;
    static final int VIR_FROM_NONE = 0;
    static final int VIR_FROM_RPC = 7;
    static final int VIR_FROM_DOMAIN = 20;
    static final int VIR_FROM_DOMAIN_SNAPSHOT = 35;

    static RemoteError of(LibvirtException e) {
        Error err = e.getError();
        String message = err.getMessage();
        String template = err.getCode().message("%s");
        return withTemplate(err.getCode().code(), err.getDomain().code(), message, template);
    }

    /** An error whose message is template with one %s replaced (or the template alone). */
    static RemoteError withTemplate(int code, int domain, String message, String template) {
        String info = null;
        int at = template == null ? -1 : template.indexOf("%s");
        if (message != null && at >= 0) {
            String head = template.substring(0, at);
            String tail = template.substring(at + 2);
            if (message.startsWith(head) && message.endsWith(tail) && message.length() >= head.length() + tail.length()) {
                info = message.substring(head.length(), message.length() - tail.length());
            } else {
                template = "%s";
                info = message;
            }
        } else if (template == null) {
            template = message;
        }
        return new RemoteError(code, domain, message, RemoteError.LEVEL_ERROR, template, info, null, -1, -1);
    }

    /** libvirt's RPC-layer errors (VIR_ERR_RPC from VIR_FROM_RPC): template "%s". */
    static RemoteError rpc(String message) {
        return new RemoteError(VIR_ERR_RPC, VIR_FROM_RPC, message, RemoteError.LEVEL_ERROR, "%s", message, null, -1, -1);
    }

    /** "internal error: INFO" from the RPC layer ("hypervisor connection not open", captured). */
    static RemoteError internal(String info) {
        return new RemoteError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC, "internal error: " + info, RemoteError.LEVEL_ERROR,
                "internal error: %s", info, null, -1, -1);
    }
}
