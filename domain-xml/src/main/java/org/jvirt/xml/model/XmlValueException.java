package org.jvirt.xml.model;

/**
 * A value in a document that the model cannot accept (a bad uuid, unit or number). It names
 * the element, the value and where the element is in the source.
 */
public final class XmlValueException extends RuntimeException {
    private final String element;
    private final String value;
    private final SourceLocation location;

    public XmlValueException(String element, String value, SourceLocation location, String problem) {
        super(compose(element, value, location, problem));
        this.element = element;
        this.value = value;
        this.location = location;
    }

    private static String compose(String element, String value, SourceLocation location, String problem) {
        StringBuilder sb = new StringBuilder(problem);
        sb.append(" '").append(value).append("' in <").append(element).append('>');
        if (location != null && location.line() > 0) sb.append(" at ").append(location);
        return sb.toString();
    }

    public String element() { return element; }
    public String value() { return value; }
    public SourceLocation location() { return location; }
}
