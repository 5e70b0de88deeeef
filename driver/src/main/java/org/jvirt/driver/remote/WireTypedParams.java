package org.jvirt.driver.remote;

import org.jvirt.driver.api.TypedParameter;
import org.jvirt.rpc.WireTypedParam;

/**
 * Typed parameters between the API's form and the wire's (remote_typed_param): the one
 * conversion the remote client and jvirtd both use. Integer types travel as int or hyper, the
 * API keeps them as Long (UINT unsigned); a boolean is an int on the wire.
 */
public final class WireTypedParams {
    private WireTypedParams() { }

    public static TypedParameter toApi(WireTypedParam p) {
        return switch (p.type()) {
            case WireTypedParam.INT -> new TypedParameter(p.field(), TypedParameter.Type.INT, (long) (Integer) p.value());
            case WireTypedParam.UINT -> TypedParameter.uint(p.field(), (Integer) p.value());
            case WireTypedParam.LLONG -> new TypedParameter(p.field(), TypedParameter.Type.LLONG, p.value());
            case WireTypedParam.ULLONG -> TypedParameter.ullong(p.field(), (Long) p.value());
            case WireTypedParam.DOUBLE -> new TypedParameter(p.field(), TypedParameter.Type.DOUBLE, p.value());
            case WireTypedParam.BOOLEAN -> new TypedParameter(p.field(), TypedParameter.Type.BOOLEAN, (Integer) p.value() != 0);
            default -> TypedParameter.string(p.field(), (String) p.value());
        };
    }

    public static WireTypedParam toWire(TypedParameter p) {
        Object v = p.value();
        return switch (p.type()) {
            case INT -> new WireTypedParam(p.field(), WireTypedParam.INT, ((Number) v).intValue());
            case UINT -> new WireTypedParam(p.field(), WireTypedParam.UINT, ((Number) v).intValue());
            case LLONG -> new WireTypedParam(p.field(), WireTypedParam.LLONG, ((Number) v).longValue());
            case ULLONG -> new WireTypedParam(p.field(), WireTypedParam.ULLONG, ((Number) v).longValue());
            case DOUBLE -> new WireTypedParam(p.field(), WireTypedParam.DOUBLE, ((Number) v).doubleValue());
            case BOOLEAN -> new WireTypedParam(p.field(), WireTypedParam.BOOLEAN,
                    v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).intValue() != 0 ? 1 : 0);
            case STRING -> new WireTypedParam(p.field(), WireTypedParam.STRING, (String) v);
        };
    }
}
