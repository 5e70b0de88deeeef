package org.jvirt.driver.objxml;

import org.jvirt.xml.model.SourceTree.Element;

/**
 * libvirt's XML output (virBuffer with auto-indent): two spaces a level, attributes in single
 * quotes, and the escaping of virBufferEscapeString. {@link #copy} writes an element libvirt
 * keeps without interpreting, as it would format it back.
 */
public final class XmlOut {

    private final StringBuilder b = new StringBuilder();
    private int indent;

    public XmlOut line(String text) {
        b.append("  ".repeat(indent)).append(text).append('\n');
        return this;
    }

    public XmlOut open(String tag) {
        line("<" + tag + ">");
        indent++;
        return this;
    }

    public XmlOut close(String name) {
        indent--;
        return line("</" + name + ">");
    }

    /** {@code <name>text</name>} on one line. */
    public XmlOut element(String name, String text) {
        return line("<" + name + ">" + escape(text) + "</" + name + ">");
    }

    /** Writes e and its subtree: empty elements self-closed, text inline, comments and blank text dropped. */
    public XmlOut copy(Element e) {
        StringBuilder head = new StringBuilder("<").append(e.name);
        for (String[] a : e.attributes) {
            if (a[0].startsWith("xmlns")) continue;
            head.append(' ').append(a[0]).append("='").append(escape(a[1])).append('\'');
        }
        if (ObjectXml.children(e).isEmpty()) {
            String text = ObjectXml.text(e);
            return line(text.isEmpty() ? head + "/>" : head + ">" + escape(text) + "</" + e.name + ">");
        }
        open(head.substring(1));
        for (Element c : ObjectXml.children(e)) copy(c);
        return close(e.name);
    }

    /**
     * Writes e as libxml2's xmlNodeDump does (how libvirt writes the foreign elements of
     * {@code <metadata>}): attributes and namespace declarations in double quotes, text inline.
     */
    public XmlOut dump(Element e) {
        StringBuilder head = new StringBuilder("<").append(e.name);
        for (String[] a : e.attributes) {
            head.append(' ').append(a[0]).append("=\"").append(escape(a[1]).replace("&apos;", "'")).append('"');
        }
        if (ObjectXml.children(e).isEmpty()) {
            String text = ObjectXml.text(e);
            return line(text.isEmpty() ? head + "/>" : head + ">" + escape(text).replace("&apos;", "'").replace("&quot;", "\"")
                    + "</" + e.name + ">");
        }
        line(head + ">");
        indent++;
        for (Element c : ObjectXml.children(e)) dump(c);
        return close(e.name);
    }

    /** An attribute ` name='value'` when value is not null, else nothing. */
    public static String attr(String name, String value) {
        return value == null ? "" : " " + name + "='" + escape(value) + "'";
    }

    public static String escape(String s) {
        StringBuilder o = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '&' -> o.append("&amp;");
                case '\'' -> o.append("&apos;");
                case '"' -> o.append("&quot;");
                default -> o.append(c);
            }
        }
        return o.toString();
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
