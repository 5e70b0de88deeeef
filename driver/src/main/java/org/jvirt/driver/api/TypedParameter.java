package org.jvirt.driver.api;

/**
 * One virTypedParameter (scheduler parameters, domain statistics): a field name, its type and
 * its value (Long for the integer types, Double, Boolean or String).
 */
public record TypedParameter(String field, Type type, Object value) {

    /** virTypedParameterType, in libvirt's order (INT = 1). */
    public enum Type { INT, UINT, LLONG, ULLONG, DOUBLE, BOOLEAN, STRING }

    public static TypedParameter uint(String field, long value) {
        return new TypedParameter(field, Type.UINT, value & 0xffffffffL);
    }

    public static TypedParameter ullong(String field, long value) {
        return new TypedParameter(field, Type.ULLONG, value);
    }

    public static TypedParameter integer(String field, int value) {
        return new TypedParameter(field, Type.INT, (long) value);
    }

    public static TypedParameter string(String field, String value) {
        return new TypedParameter(field, Type.STRING, value);
    }

    /** The value as virsh prints it (vshGetTypedParamValue): unsigned types as unsigned. */
    public String valueText() {
        return switch (type) {
            case ULLONG -> Long.toUnsignedString((Long) value);
            case BOOLEAN -> (Boolean) value ? "yes" : "no";
            case DOUBLE -> String.format(java.util.Locale.ROOT, "%f", (Double) value);
            default -> String.valueOf(value);
        };
    }
}
