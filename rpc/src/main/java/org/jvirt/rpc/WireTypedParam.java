package org.jvirt.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * remote_typed_param: a field name and a value discriminated by libvirt's type code (1 INT,
 * 2 UINT, 3 LLONG, 4 ULLONG, 5 DOUBLE, 6 BOOLEAN, 7 STRING). value is an Integer (INT, UINT,
 * BOOLEAN), Long (LLONG, ULLONG), Double or String.
 */
public record WireTypedParam(String field, int type, Object value) {
    public static final int INT = 1, UINT = 2, LLONG = 3, ULLONG = 4, DOUBLE = 5, BOOLEAN = 6, STRING = 7;
    /** VIR_TYPED_PARAM_FIELD_LENGTH, the NUL included. */
    public static final int FIELD_LENGTH = 80;

    public void encode(XdrWriter w) {
        w.writeString(field).writeInt(type);
        switch (type) {
            case INT, UINT, BOOLEAN -> w.writeInt(((Number) value).intValue());
            case LLONG, ULLONG -> w.writeHyper(((Number) value).longValue());
            case DOUBLE -> w.writeDouble(((Number) value).doubleValue());
            case STRING -> w.writeString((String) value);
            default -> throw new IllegalArgumentException("typed parameter type " + type);
        }
    }

    public static WireTypedParam decode(XdrReader r) throws XdrException {
        String field = r.readString("typed parameter field");
        if (field.length() >= FIELD_LENGTH) throw new XdrException("typed parameter field " + field.substring(0, 20) + "... too long");
        int type = r.readInt();
        Object v = switch (type) {
            case INT, UINT, BOOLEAN -> r.readInt();
            case LLONG, ULLONG -> r.readHyper();
            case DOUBLE -> r.readDouble();
            case STRING -> r.readString("typed parameter value");
            default -> throw new XdrException("unknown typed parameter type " + type);
        };
        return new WireTypedParam(field, type, v);
    }

    public static void encodeList(XdrWriter w, List<WireTypedParam> params) {
        w.writeInt(params.size());
        for (WireTypedParam p : params) p.encode(w);
    }

    public static List<WireTypedParam> decodeList(XdrReader r, int max) throws XdrException {
        int n = r.readCount(max, 12, "typed parameters");
        List<WireTypedParam> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(decode(r));
        return out;
    }
}
