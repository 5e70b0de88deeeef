package org.jvirt.xml.io;

import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.ext.DefaultHandler2;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Writes XML the way libvirt formats it: no declaration, two-space indentation, attributes in
 * single quotes and in the order they are produced, empty elements as {@code <x/>}. Text is
 * never re-flowed; an element that mixes text with child elements is written as it is.
 * It is a SAX {@link ContentHandler}: a marshaller writes into it, then {@link #result()}.
 */
public final class LibvirtXmlWriter extends DefaultHandler2 {

    /** One element as it came in: name, declarations and attributes in order, children. */
    private static final class Node {
        final String name;
        final List<String[]> attributes = new ArrayList<>();   // {qName, value}
        final List<Object> children = new ArrayList<>();       // Node, text String, or Comment
        Node(String name) { this.name = name; }
    }

    private record Comment(String text) { }

    private final Deque<Node> open = new ArrayDeque<>();
    private final List<String[]> pendingDeclarations = new ArrayList<>();
    private Node root;
    private final java.util.Map<String, String> rootDeclarations;

    /** rootDeclarations: prefix to URI, declared on the root element first (libvirt's habit). */
    public LibvirtXmlWriter(java.util.Map<String, String> rootDeclarations) {
        this.rootDeclarations = rootDeclarations;
    }

    @Override
    public void setDocumentLocator(Locator locator) { }

    @Override
    public void startPrefixMapping(String prefix, String uri) {
        pendingDeclarations.add(new String[]{prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix, uri});
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        Node n = new Node(qName == null || qName.isEmpty() ? localName : qName);
        if (open.isEmpty()) {
            rootDeclarations.forEach((p, u) -> n.attributes.add(new String[]{p.isEmpty() ? "xmlns" : "xmlns:" + p, u}));
        }
        for (String[] d : pendingDeclarations) {
            if (d[0].equals("xmlns") && d[1].isEmpty() && open.isEmpty()) continue;
            if (d[1].equals(inScope(n, d[0]))) continue;
            n.attributes.add(d);
        }
        pendingDeclarations.clear();
        for (int i = 0; i < atts.getLength(); i++) {
            String an = atts.getQName(i);
            if (an == null || an.isEmpty()) an = atts.getLocalName(i);
            if (an.equals("xmlns") || an.startsWith("xmlns:")) {
                boolean dup = false;
                for (String[] a : n.attributes) dup |= a[0].equals(an);
                if (dup) continue;
            }
            n.attributes.add(new String[]{an, atts.getValue(i)});
        }
        if (open.isEmpty()) root = n; else open.peek().children.add(n);
        open.push(n);
    }

    /** The URI a declaration name (xmlns or xmlns:p) is bound to where n is being opened. */
    private String inScope(Node n, String declaration) {
        for (String[] a : n.attributes) if (a[0].equals(declaration)) return a[1];
        for (Node o : open) for (String[] a : o.attributes) if (a[0].equals(declaration)) return a[1];
        return null;
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        open.pop();
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (open.isEmpty()) return;
        List<Object> c = open.peek().children;
        String s = new String(ch, start, length);
        if (!c.isEmpty() && c.get(c.size() - 1) instanceof String prev) c.set(c.size() - 1, prev + s);
        else c.add(s);
    }

    @Override
    public void comment(char[] ch, int start, int length) {
        if (!open.isEmpty()) open.peek().children.add(new Comment(new String(ch, start, length)));
    }

    /** The formatted document, ending in a newline as virsh prints it. */
    public String result() {
        StringBuilder out = new StringBuilder(4096);
        if (root != null) write(root, 0, true, out);
        return out.append('\n').toString();
    }

    private static void write(Node e, int depth, boolean indent, StringBuilder out) {
        if (indent) out.append("  ".repeat(depth));
        out.append('<').append(e.name);
        for (String[] a : e.attributes) {
            out.append(' ').append(a[0]).append("='");
            escape(a[1], true, out);
            out.append('\'');
        }
        boolean hasMarkup = false, hasText = false;
        for (Object c : e.children) {
            if (c instanceof String s) hasText |= !s.isBlank();
            else hasMarkup = true;
        }
        if (e.children.isEmpty()) {
            out.append("/>");
        } else if (!hasMarkup) {
            out.append('>');
            for (Object c : e.children) escape((String) c, false, out);
            out.append("</").append(e.name).append('>');
        } else if (hasText) {
            out.append('>');
            for (Object c : e.children) child(c, depth + 1, false, out);
            out.append("</").append(e.name).append('>');
        } else {
            out.append('>');
            for (Object c : e.children) {
                if (c instanceof String) continue;
                out.append('\n');
                child(c, depth + 1, true, out);
            }
            out.append('\n').append("  ".repeat(depth)).append("</").append(e.name).append('>');
        }
    }

    private static void child(Object c, int depth, boolean indent, StringBuilder out) {
        if (c instanceof Node n) {
            write(n, depth, indent, out);
        } else if (c instanceof Comment k) {
            if (indent) out.append("  ".repeat(depth));
            out.append("<!--").append(k.text()).append("-->");
        } else {
            escape((String) c, false, out);
        }
    }

    /** libvirt's escaping (virBufferEscapeString) of the XML specials; in attributes also line breaks and tabs. */
    static void escape(String s, boolean attribute, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\'' -> sb.append("&apos;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append("&#13;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                default -> sb.append(c);
            }
        }
    }
}
