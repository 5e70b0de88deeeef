package org.jvirt.xml.io;

import org.jvirt.xml.model.SourceTree;
import org.jvirt.xml.model.SourceTree.Comment;
import org.jvirt.xml.model.SourceTree.Element;
import org.xml.sax.Attributes;
import org.xml.sax.ext.DefaultHandler2;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes XML the way libvirt formats it: no declaration, two-space indentation, attributes in
 * single quotes, empty elements as {@code <x/>}. Text is never re-flowed; an element that
 * mixes text with child elements is written as it is.
 *
 * <p>It is a SAX handler: a marshaller writes into it, then {@link #result()}. When the
 * document was parsed, the {@link SourceTree} of the original restores what JAXB loses:
 * attribute order (DOM sorts the attributes of untyped elements), the namespace declarations
 * of the root, and comments inside {@code <metadata>} (libvirt keeps those) wherever the
 * content is unchanged.
 */
public final class LibvirtXmlWriter extends DefaultHandler2 {

    private final SourceTree source;
    private final Deque<Element> open = new ArrayDeque<>();
    private final List<String[]> pendingDeclarations = new ArrayList<>();
    private Element root;

    /** source: the document as parsed, or null for a document built in code. */
    public LibvirtXmlWriter(SourceTree source) {
        this.source = source;
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) {
        pendingDeclarations.add(new String[]{prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix, uri});
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        Element n = new Element(qName == null || qName.isEmpty() ? localName : qName);
        n.attributes.addAll(pendingDeclarations);
        pendingDeclarations.clear();
        for (int i = 0; i < atts.getLength(); i++) {
            String an = atts.getQName(i);
            if (an == null || an.isEmpty()) an = atts.getLocalName(i);
            if (isDeclaration(an) && indexOf(n.attributes, an) >= 0) continue;
            n.attributes.add(new String[]{an, atts.getValue(i)});
        }
        if (open.isEmpty()) root = n; else open.peek().children.add(n);
        open.push(n);
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

    /**
     * The element as libxml2's xmlNodeDump formats it (double-quoted attributes), without a
     * final newline: what libvirt returns for one node (metadata elements, virsh --xpath).
     */
    public String resultAsLibxml2() {
        if (root == null) return "";
        Map<String, String> scope = new HashMap<>();
        scope.put("xmlns", "");
        StringBuilder out = new StringBuilder(256);
        write(root, 0, true, true, scope, out);
        return out.toString();
    }

    /** The formatted document, ending in a newline as virsh prints it. */
    public String result() {
        StringBuilder out = new StringBuilder(4096);
        if (root == null) return "";
        if (source != null && source.root.name.equals(root.name)) {
            for (String[] a : source.root.attributes)
                if (isDeclaration(a[0]) && indexOf(root.attributes, a[0]) < 0) root.attributes.add(a.clone());
            restore(root, source.root, false);
        }
        Map<String, String> scope = new HashMap<>();
        scope.put("xmlns", "");
        write(root, 0, true, false, scope, out);
        return out.append('\n').toString();
    }

    /** Puts attributes back in their source order, and metadata content back with its comments. */
    private static void restore(Element written, Element original, boolean inMetadata) {
        if (inMetadata && SourceTree.fingerprint(written).equals(SourceTree.fingerprint(original))) {
            written.attributes.clear();
            written.attributes.addAll(original.attributes);
            written.children.clear();
            written.children.addAll(original.children);
            return;
        }
        // attributes the source had take their source order, in the places they hold now;
        // attributes added since (by the model or in code) stay where they were written
        List<String[]> known = new ArrayList<>();
        for (String[] a : original.attributes) {
            int i = indexOf(written.attributes, a[0]);
            if (i >= 0) known.add(written.attributes.get(i));
        }
        int next = 0;
        for (int i = 0; i < written.attributes.size(); i++) {
            if (indexOf(original.attributes, written.attributes.get(i)[0]) >= 0) written.attributes.set(i, known.get(next++));
        }
        // match children by name and occurrence: the n-th <x> written is the n-th <x> read
        Map<String, List<Element>> byName = new HashMap<>();
        for (Object c : original.children) if (c instanceof Element e) byName.computeIfAbsent(e.name, k -> new ArrayList<>()).add(e);
        Map<String, Integer> seen = new HashMap<>();
        boolean metadataBelow = inMetadata || written.name.equals("metadata");
        for (Object c : written.children) {
            if (!(c instanceof Element e)) continue;
            int n = seen.merge(e.name, 1, Integer::sum) - 1;
            List<Element> candidates = byName.get(e.name);
            if (candidates != null && n < candidates.size()) restore(e, candidates.get(n), metadataBelow);
        }
    }

    /**
     * libxml2: libvirt writes {@code <metadata>} content with xmlNodeDump, so there attributes
     * are double-quoted and escaped as libxml2 does.
     */
    private static void write(Element e, int depth, boolean indent, boolean libxml2, Map<String, String> parentScope, StringBuilder out) {
        if (indent) out.append("  ".repeat(depth));
        Map<String, String> scope = parentScope;
        out.append('<').append(e.name);
        for (String[] a : e.attributes) {
            if (isDeclaration(a[0])) {
                if (a[1].equals(scope.get(a[0]))) continue;   // already bound so by an ancestor
                if (scope == parentScope) scope = new HashMap<>(parentScope);
                scope.put(a[0], a[1]);
            }
            char q = libxml2 ? '"' : '\'';
            out.append(' ').append(a[0]).append('=').append(q);
            if (libxml2) escapeLibxml2(a[1], true, out); else escape(a[1], true, out);
            out.append(q);
        }
        boolean childrenLibxml2 = libxml2 || e.name.equals("metadata");
        boolean hasMarkup = false, hasText = false;
        for (Object c : e.children) {
            if (c instanceof String s) hasText |= !s.isBlank();
            else hasMarkup = true;
        }
        if (e.children.isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        if (!hasMarkup) {
            for (Object c : e.children) {
                if (libxml2) escapeLibxml2((String) c, false, out); else escape((String) c, false, out);
            }
        } else if (hasText) {
            for (Object c : e.children) child(c, depth + 1, false, childrenLibxml2, scope, out);
        } else {
            for (Object c : e.children) {
                if (c instanceof String) continue;
                out.append('\n');
                child(c, depth + 1, true, childrenLibxml2, scope, out);
            }
            out.append('\n').append("  ".repeat(depth));
        }
        out.append("</").append(e.name).append('>');
    }

    private static void child(Object c, int depth, boolean indent, boolean libxml2, Map<String, String> scope, StringBuilder out) {
        if (c instanceof Element n) {
            write(n, depth, indent, libxml2, scope, out);
        } else if (c instanceof Comment k) {
            if (indent) out.append("  ".repeat(depth));
            out.append("<!--").append(k.text()).append("-->");
        } else if (libxml2) {
            escapeLibxml2((String) c, false, out);
        } else {
            escape((String) c, false, out);
        }
    }

    /** libxml2's escaping: in text only &lt; &gt; &amp; (and CR); in attributes also &quot; and line breaks. */
    static void escapeLibxml2(String s, boolean attribute, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append("&#13;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                default -> sb.append(c);
            }
        }
    }

    private static boolean isDeclaration(String name) {
        return name.equals("xmlns") || name.startsWith("xmlns:");
    }

    private static int indexOf(List<String[]> attributes, String name) {
        for (int i = 0; i < attributes.size(); i++) if (attributes.get(i)[0].equals(name)) return i;
        return -1;
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
