package org.jvirt.xml.model;

import jakarta.xml.bind.annotation.XmlAnyAttribute;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlTransient;
import org.glassfish.jaxb.core.annotation.XmlLocation;
import org.xml.sax.Locator;

import javax.xml.namespace.QName;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every bound element. All attributes live in one map in document order, and the
 * typed accessors of subclasses read and write that map: so attributes the model does not
 * know survive, and a round trip keeps libvirt's attribute order (which JAXB's field-bound
 * attributes would not: libvirt orders {@code <address>}'s attributes by address type).
 * The source location is recorded for error messages.
 */
@XmlTransient
public abstract class XmlNode {

    @XmlAnyAttribute
    private Map<QName, String> attributes = new LinkedHashMap<>();

    @XmlLocation
    @XmlTransient
    private Locator location;

    /** Every attribute in document order (live). */
    public Map<QName, String> attributes() {
        return attributes;
    }

    /** An attribute without namespace by name, or null. */
    public String attribute(String name) {
        return attributes.get(new QName(name));
    }

    /** Sets an attribute (kept in place when it exists, appended otherwise); null removes it. */
    public void setAttribute(String name, String value) {
        if (value == null) attributes.remove(new QName(name));
        else attributes.put(new QName(name), value);
    }

    /** The element's name as bound (from {@code @XmlRootElement}), for messages. */
    public String elementName() {
        XmlRootElement root = getClass().getAnnotation(XmlRootElement.class);
        return root == null ? getClass().getSimpleName() : root.name();
    }

    /** Parses an optional unsigned number (decimal or 0x hex); a bad one names element, value and line. */
    protected Long parseNumber(String value, String what) {
        if (value == null) return null;
        String v = value.trim();
        try {
            long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new XmlValueException(elementName(), value, sourceLocation(), "invalid " + what);
        }
    }

    /** Where this element started in the parsed document, or null when built in code. */
    public SourceLocation sourceLocation() {
        return location == null ? null : new SourceLocation(location.getLineNumber(), location.getColumnNumber());
    }
}
