package org.jvirt.xml.validate;

import static org.jvirt.xml.validate.InvalidDomainException.Kind.XML_ERROR;

import java.util.Set;

/** libvirt's attribute readers (virXMLPropEnum, virXMLPropUInt) and the words they fail with. */
final class XmlAttributeRules {

    private XmlAttributeRules() { }

    /** An optional enumerated attribute: absent is fine, any other spelling (even empty) is refused. */
    static void enumValue(String value, Set<String> allowed, String attribute, String element)
            throws InvalidDomainException {
        if (value != null && !allowed.contains(value))
            throw new InvalidDomainException(XML_ERROR, "Invalid value for attribute '" + attribute + "' in element '"
                    + element + "': '" + value + "'.");
    }

    /**
     * An unsigned int attribute (virStrToLong_uip: leading blanks allowed, no sign, at most
     * UINT_MAX); required and non-zero when asked. Returns the value, or null when absent.
     */
    static Long unsignedInt(String value, String attribute, String element, boolean required, boolean nonZero)
            throws InvalidDomainException {
        String where = "attribute '" + attribute + "' in element '" + element + "'";
        if (value == null) {
            if (required) throw new InvalidDomainException(XML_ERROR, "Missing required " + where);
            return null;
        }
        String digits = value.stripLeading();
        boolean ok = !digits.isEmpty() && digits.length() <= 10 && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                && Long.parseLong(digits) <= 0xFFFF_FFFFL;
        if (!ok)
            throw new InvalidDomainException(XML_ERROR, "Invalid value for " + where + ": '" + value
                    + "'. Expected non-negative integer value");
        long n = Long.parseLong(digits);
        if (nonZero && n == 0)
            throw new InvalidDomainException(XML_ERROR, "Invalid value for " + where + ": Zero is not permitted");
        return n;
    }
}
