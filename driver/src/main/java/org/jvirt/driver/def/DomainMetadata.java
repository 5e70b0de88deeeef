package org.jvirt.driver.def;

import java.io.StringReader;
import javax.xml.XMLConstants;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Metadata;
import org.jvirt.xml.io.SecureXml;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Application metadata elements of a definition (virDomainSetMetadata and virDomainGetMetadata
 * with type ELEMENT), as libvirt's domain_conf keeps them: one element per namespace inside
 * {@code <metadata>}, its un-namespaced elements put in the namespace under the caller's key.
 */
public final class DomainMetadata {

    private DomainMetadata() { }

    /** The element of namespace uri as libvirt returns it: without that namespace. */
    public static String get(DomainDefinition def, String uri) throws LibvirtException {
        Metadata md = def.model().getMetadata();
        Element e = md == null || uri == null ? null : md.element(uri);
        if (e == null) throw notPresent();
        if (!hasBlankText(e)) {
            // read from the document as formatted: the model keeps a defined element's comments
            // and attribute order only in its source tree, which formatting restores
            Element formatted = fromDocument(def.format(-1), uri);
            if (formatted != null) e = formatted;
        }
        Element copy = (Element) newDocument().importNode(e, true);
        copy.getOwnerDocument().appendChild(copy);
        Element plain = stripNamespace(copy, uri, e.getPrefix());
        return format(plain);
    }

    /** Sets (xml non-null) or removes (xml null) the element of namespace uri. */
    public static void set(DomainDefinition def, String xml, String key, String uri) throws LibvirtException {
        Element value = xml == null ? null : parse(xml, key, uri);
        Domain model = def.model();
        Metadata md = model.getMetadata();
        if (md == null) {
            if (value == null) return;
            md = new Metadata();
            model.setMetadata(md);
        }
        md.setElement(uri, null);
        if (value != null) md.setElement(uri, value);
    }

    /**
     * Drops the blank text between the elements of the metadata content, as libxml2 does when
     * libvirt parses a domain document (XML_PARSE_NOBLANKS): indentation read back from a file
     * is not content. Content set through the API keeps its blanks until the definition is
     * parsed again, as in libvirt.
     */
    static void dropBlanks(Domain model) {
        Metadata md = model.getMetadata();
        if (md == null) return;
        for (Element e : md.unknownChildren()) dropBlanks(e);
    }

    private static void dropBlanks(Element e) {
        boolean hasElement = false;
        boolean hasText = false;
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) hasElement = true;
            else if (n.getNodeType() == Node.TEXT_NODE && !n.getNodeValue().isBlank()) hasText = true;
        }
        for (Node n = e.getFirstChild(); n != null; ) {
            Node next = n.getNextSibling();
            if (n instanceof Element c) dropBlanks(c);
            else if (hasElement && !hasText && n.getNodeType() == Node.TEXT_NODE) e.removeChild(n);
            n = next;
        }
    }

    /** Whether blank text is part of the element's content (set through the API, not read from a document). */
    private static boolean hasBlankText(Element e) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && hasBlankText(c)) return true;
            if (n.getNodeType() == Node.TEXT_NODE && n.getNodeValue().isBlank()) return true;
        }
        return false;
    }

    /** The metadata element of namespace uri in a formatted domain document, its indentation dropped. */
    private static Element fromDocument(String domainXml, String uri) {
        try {
            Document doc = SecureXml.documentBuilder().parse(new InputSource(new StringReader(domainXml)));
            for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element m) || !"metadata".equals(m.getLocalName())) continue;
                for (Node c = m.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element el && uri.equals(el.getNamespaceURI())) {
                        dropBlanks(el);
                        return el;
                    }
                }
            }
        } catch (Exception ex) {
            // the model's own element is used then
        }
        return null;
    }

    static LibvirtException notPresent() {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA, ErrorDomain.VIR_FROM_DOMAIN,
                "Requested metadata element is not present");
    }

    private static Element parse(String xml, String key, String uri) throws LibvirtException {
        Document doc;
        try {
            SecureXml.check(xml, "metadata_xml", XmlLimits.LIBVIRT);
            doc = SecureXml.documentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (XmlParseException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML,
                    "(metadata_xml): " + e.getMessage());
        }
        if (key == null || !isNcName(key)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_XML,
                    "failed to validate prefix for a new XML namespace");
        }
        Element root = doc.getDocumentElement();
        if (root.hasAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, key)) {
            // libxml2's xmlNewNs refuses a prefix the element already declares
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_XML,
                    "failed to create a new XML namespace");
        }
        Element injected = inject(root, uri, key);
        injected.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + key, uri);
        return injected;
    }

    /** virXMLInjectNamespace: every element without a namespace gets uri under prefix key. */
    private static Element inject(Element e, String uri, String key) {
        Element out = e;
        if (e.getNamespaceURI() == null || e.getNamespaceURI().isEmpty()) {
            out = (Element) e.getOwnerDocument().renameNode(e, uri, key + ":" + localName(e));
        }
        for (Node n = out.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) n = inject(c, uri, key);
        }
        return out;
    }

    /** The element with the elements of uri put back in no namespace and its declaration dropped. */
    private static Element stripNamespace(Element e, String uri, String prefix) {
        Element out = e;
        if (uri.equals(e.getNamespaceURI())) out = (Element) e.getOwnerDocument().renameNode(e, null, localName(e));
        if (prefix != null) out.removeAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, prefix);
        for (Node n = out.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) n = stripNamespace(c, uri, prefix);
        }
        return out;
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    /**
     * xmlNodeDump with format 1, as libvirt returns a metadata element: children are indented
     * only under an element whose children are all markup; any text, even blank, keeps that
     * element's content as it was given.
     */
    static String format(Element e) {
        StringBuilder b = new StringBuilder();
        dump(e, 0, true, b);
        return b.toString();
    }

    /** format: false inside an element that had text (libxml2 turns formatting off for its whole subtree). */
    private static void dump(Element e, int level, boolean format, StringBuilder b) {
        b.append('<').append(e.getTagName());
        org.w3c.dom.NamedNodeMap attrs = e.getAttributes();
        // libxml2 writes the namespace declarations before the attributes
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < attrs.getLength(); i++) {
                Node a = attrs.item(i);
                boolean decl = XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI());
                if (decl != (pass == 0)) continue;
                b.append(' ').append(a.getNodeName()).append("=\"");
                escape(a.getNodeValue(), true, b);
                b.append('"');
            }
        }
        if (e.getFirstChild() == null) {
            b.append("/>");
            return;
        }
        b.append('>');
        boolean markupOnly = format;
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) markupOnly = false;
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (markupOnly) b.append('\n').append("  ".repeat(level + 1));
            if (n instanceof Element c) dump(c, level + 1, markupOnly, b);
            else if (n.getNodeType() == Node.COMMENT_NODE) b.append("<!--").append(n.getNodeValue()).append("-->");
            else escape(n.getNodeValue(), false, b);
        }
        if (markupOnly) b.append('\n').append("  ".repeat(level));
        b.append("</").append(e.getTagName()).append('>');
    }

    /** libxml2's escaping: &lt; &gt; &amp; (and CR) in text; also &quot; and line breaks in attributes. */
    private static void escape(String s, boolean attribute, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\n' -> b.append(attribute ? "&#10;" : "\n");
                case '\r' -> b.append("&#13;");
                case '\t' -> b.append(attribute ? "&#9;" : "\t");
                default -> b.append(c);
            }
        }
    }

    private static Document newDocument() {
        return SecureXml.documentBuilder().newDocument();
    }

    /** xmlValidateNCName: a name without ':' that starts with a letter or '_'. */
    static boolean isNcName(String s) {
        if (s.isEmpty()) return false;
        int first = s.codePointAt(0);
        if (!(Character.isLetter(first) || first == '_')) return false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) return false;
            i += Character.charCount(c);
        }
        return true;
    }
}
