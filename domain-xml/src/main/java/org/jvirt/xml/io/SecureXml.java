package org.jvirt.xml.io;

import org.jvirt.xml.model.SourceTree;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The one place where XML text enters the project. Refuses, before any binding happens:
 * documents over the size limit, any DTD (so no external entities, no entity expansion
 * bombs), and nesting deeper than the limit. Syntax errors are reported as libxml2 (and so
 * libvirt) words them for the common cases, with the line and a caret.
 */
public final class SecureXml {

    private SecureXml() { }

    /** A StAX factory that never reads DTDs or external entities. */
    public static XMLInputFactory inputFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** A namespace-aware DOM builder that refuses DOCTYPEs outright. */
    public static DocumentBuilder documentBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser lacks a required security feature", e);
        }
    }

    /**
     * Checks text against the limits and for well-formedness, without binding anything.
     * label is libvirt's name for the document in messages, e.g. "domain_definition".
     */
    public static void check(String text, String label, XmlLimits limits) throws XmlParseException {
        scan(text, label, limits);
    }

    /** As {@link #check}, and returns a {@link SourceTree} of the document as it was read. */
    public static SourceTree scan(String text, String label, XmlLimits limits) throws XmlParseException {
        long bytes = utf8Length(text, limits.maxBytes());
        if (bytes > limits.maxBytes())
            throw new XmlParseException("XML document is too large: more than " + limits.maxBytes()
                    + " bytes (libvirt's limit is 10 MiB)", -1, -1);
        NotUtf8.check(text, label);
        Deque<String[]> open = new ArrayDeque<>();   // {name, line} of each open element
        Deque<SourceTree.Element> elements = new ArrayDeque<>();
        SourceTree.Element root = null;
        XMLStreamReader r = null;
        try {
            r = inputFactory().createXMLStreamReader(new StringReader(text));
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.DTD -> throw new XmlParseException(String.format(
                            "(%s):%d: DTDs and entity declarations are not allowed in libvirt XML",
                            label, r.getLocation().getLineNumber()), r.getLocation().getLineNumber(),
                            r.getLocation().getColumnNumber());
                    case XMLStreamConstants.START_ELEMENT -> {
                        open.push(new String[]{qname(r), Integer.toString(r.getLocation().getLineNumber())});
                        SourceTree.Element e = new SourceTree.Element(qname(r));
                        // StAX does not say how declarations and attributes interleaved; libvirt
                        // writes the root's declarations after its attributes, libxml2 (metadata)
                        // writes them first: follow that.
                        if (!elements.isEmpty()) addDeclarations(r, e);
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String p = r.getAttributePrefix(i);
                            String n = p == null || p.isEmpty() ? r.getAttributeLocalName(i) : p + ":" + r.getAttributeLocalName(i);
                            e.attributes.add(new String[]{n, r.getAttributeValue(i)});
                        }
                        if (elements.isEmpty()) addDeclarations(r, e);
                        if (elements.isEmpty()) root = e; else elements.peek().children.add(e);
                        elements.push(e);
                        if (open.size() > limits.maxDepth())
                            throw new XmlParseException(String.format(
                                    "(%s):%d: elements are nested deeper than %d levels",
                                    label, r.getLocation().getLineNumber(), limits.maxDepth()),
                                    r.getLocation().getLineNumber(), r.getLocation().getColumnNumber());
                    }
                    case XMLStreamConstants.END_ELEMENT -> { open.pop(); elements.pop(); }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!elements.isEmpty()) {
                            List<Object> c = elements.peek().children;
                            String t = r.getText();
                            if (!c.isEmpty() && c.get(c.size() - 1) instanceof String prev) c.set(c.size() - 1, prev + t);
                            else c.add(t);
                        }
                    }
                    case XMLStreamConstants.COMMENT -> {
                        if (!elements.isEmpty()) elements.peek().children.add(new SourceTree.Comment(r.getText()));
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new XmlParseException(String.format(
                            "(%s):%d: Entity '%s' not defined", label, r.getLocation().getLineNumber(),
                            r.getLocalName()), r.getLocation().getLineNumber(), r.getLocation().getColumnNumber());
                    default -> { }
                }
            }
            if (root == null) throw new XmlParseException("(" + label + "): document has no root element", 1, 1);
            return new SourceTree(root);
        } catch (XMLStreamException e) {
            throw SyntaxErrors.translate(e, text, label, open);
        } finally {
            if (r != null) try { r.close(); } catch (XMLStreamException ignored) { }
        }
    }

    private static void addDeclarations(XMLStreamReader r, SourceTree.Element e) {
        for (int i = 0; i < r.getNamespaceCount(); i++) {
            String p = r.getNamespacePrefix(i);
            e.attributes.add(new String[]{p == null || p.isEmpty() ? "xmlns" : "xmlns:" + p,
                    r.getNamespaceURI(i) == null ? "" : r.getNamespaceURI(i)});
        }
    }

    private static String qname(XMLStreamReader r) {
        String p = r.getPrefix();
        return p == null || p.isEmpty() ? r.getLocalName() : p + ":" + r.getLocalName();
    }

    /** UTF-8 length of text, stopping early once it passes limit. */
    private static long utf8Length(String text, long limit) {
        if ((long) text.length() * 3 <= limit) return text.length();
        long n = 0;
        for (int i = 0; i < text.length() && n <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }

    /**
     * Decodes bytes as UTF-8 after the size check, keeping bytes that are not UTF-8 as
     * {@link SurrogateEscape} characters so that parsing refuses them as libxml2 does.
     */
    public static String decode(byte[] data, XmlLimits limits) throws XmlParseException {
        if (data.length > limits.maxBytes())
            throw new XmlParseException("XML document is too large: more than " + limits.maxBytes()
                    + " bytes (libvirt's limit is 10 MiB)", -1, -1);
        int start = data.length >= 3 && (data[0] & 0xff) == 0xEF && (data[1] & 0xff) == 0xBB && (data[2] & 0xff) == 0xBF ? 3 : 0;
        return SurrogateEscape.decode(data, start, data.length - start);
    }
}
