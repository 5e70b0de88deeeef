package org.jvirt.xml.model;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A light copy of a document as it was read: element names, attributes and namespace
 * declarations in document order, text and comments. JAXB keeps neither attribute order (DOM
 * sorts the attributes of elements the model does not type) nor comments; the writer uses this
 * copy to restore both where the model left the content unchanged.
 */
public final class SourceTree {

    /** An element: qualified name, attributes {qName, value} in order (declarations included), children. */
    public static final class Element {
        public final String name;
        public final List<String[]> attributes = new ArrayList<>();
        public final List<Object> children = new ArrayList<>();   // Element, String (text), Comment

        public Element(String name) {
            this.name = name;
        }
    }

    /** A comment's text. */
    public record Comment(String text) { }

    public final Element root;

    public SourceTree(Element root) {
        this.root = root;
    }

    /**
     * A fingerprint of an element's content that ignores what a round trip may change without
     * changing meaning: attribute order, namespace declarations, comments, blank text.
     */
    public static String fingerprint(Element e) {
        StringBuilder sb = new StringBuilder();
        fingerprint(e, sb);
        return sb.toString();
    }

    private static void fingerprint(Element e, StringBuilder sb) {
        sb.append('<').append(e.name);
        TreeMap<String, String> sorted = new TreeMap<>();
        for (String[] a : e.attributes) if (!a[0].equals("xmlns") && !a[0].startsWith("xmlns:")) sorted.put(a[0], a[1]);
        sorted.forEach((k, v) -> sb.append(' ').append(k).append("=\"").append(v.replace("\"", "&quot;")).append('"'));
        sb.append('>');
        for (Object c : e.children) {
            if (c instanceof Element child) fingerprint(child, sb);
            else if (c instanceof String s && !s.isBlank()) sb.append(s.strip().replace("<", "&lt;"));
        }
        sb.append("</").append(e.name).append('>');
    }
}
