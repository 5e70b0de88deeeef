package org.jvirt.xml.model;

/** A line and column in a parsed document (1-based; -1 when unknown). */
public record SourceLocation(int line, int column) {
    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
