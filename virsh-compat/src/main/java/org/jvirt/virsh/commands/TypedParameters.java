package org.jvirt.virsh.commands;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;

/** virTypedParamsAddFromString: a parameter value typed as the parameter it sets. */
final class TypedParameters {

    private TypedParameters() { }

    static TypedParameter fromString(String field, TypedParameter.Type type, String value) throws LibvirtException {
        try {
            return switch (type) {
                case INT -> new TypedParameter(field, type, (long) Integer.parseInt(value.strip()));
                // virStrToLong_ui: a negative number wraps, as strtoul does
                case UINT -> new TypedParameter(field, type, uint(value.strip()));
                case LLONG -> new TypedParameter(field, type, Long.parseLong(value.strip()));
                case ULLONG -> new TypedParameter(field, type, Long.parseUnsignedLong(value.strip()));
                case DOUBLE -> new TypedParameter(field, type, Double.parseDouble(value.strip()));
                case BOOLEAN -> new TypedParameter(field, type, bool(value));
                case STRING -> new TypedParameter(field, type, value);
            };
        } catch (NumberFormatException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE,
                    "Invalid value for field '" + field + "': expected " + expected(type));
        }
    }

    private static long uint(String v) {
        long n = Long.parseLong(v);
        if (n > 0xffffffffL || n < -0xffffffffL) throw new NumberFormatException(v);
        return n & 0xffffffffL;
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("yes") || v.equals("1")) return true;
        if (v.equalsIgnoreCase("no") || v.equals("0")) return false;
        throw new NumberFormatException(v);
    }

    private static String expected(TypedParameter.Type type) {
        return switch (type) {
            case INT -> "int";
            case UINT -> "unsigned int";
            case LLONG -> "long long";
            case ULLONG -> "unsigned long long";
            case DOUBLE -> "double";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
        };
    }
}
