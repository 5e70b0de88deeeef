package org.jvirt.xml.io;

/**
 * A document that cannot be read: malformed, refused (DTD, too large, too deep) or with a
 * bad value. {@link #getMessage()} is libvirt's wording where libvirt has one, including its
 * "(domain_definition):LINE: ..." form and the caret line for syntax errors.
 */
public final class XmlParseException extends Exception {
    private final int line;
    private final int column;

    public XmlParseException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the problem, or -1 when it is not tied to a place. */
    public int line() { return line; }

    /** 1-based column of the problem, or -1. */
    public int column() { return column; }

    /** The message with " (line L, column C)" appended when known and not already in it. */
    public String messageWithLocation() {
        if (line <= 0) return getMessage();
        return getMessage() + " (line " + line + (column > 0 ? ", column " + column : "") + ")";
    }
}
