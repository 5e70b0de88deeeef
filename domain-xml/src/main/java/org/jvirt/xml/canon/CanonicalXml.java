package org.jvirt.xml.canon;

import org.jvirt.xml.io.SecureXml;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A canonical text form for comparing documents: one element per line, indented; names as
 * {namespace}local; attributes sorted by namespace and name, namespace declarations and
 * prefixes left out; comments left out; white-space-only text between elements dropped and
 * other text trimmed. Element order is kept: it matters in libvirt XML.
 */
public final class CanonicalXml {

    private CanonicalXml() { }

    public static String of(String xml) throws XmlParseException {
        SecureXml.check(xml, "document", XmlLimits.LIBVIRT);
        Document doc;
        try {
            doc = SecureXml.documentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new XmlParseException("(document): " + e.getMessage(), -1, -1);
        }
        StringBuilder sb = new StringBuilder();
        element(doc.getDocumentElement(), 0, sb);
        return sb.toString();
    }

    private static void element(Element e, int depth, StringBuilder sb) {
        sb.append("  ".repeat(depth)).append('<').append(name(e));
        NamedNodeMap map = e.getAttributes();
        List<Attr> attrs = new ArrayList<>();
        for (int i = 0; i < map.getLength(); i++) {
            Attr a = (Attr) map.item(i);
            if ("http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI())) continue;
            attrs.add(a);
        }
        attrs.sort(Comparator.comparing(CanonicalXml::name));
        for (Attr a : attrs) sb.append(' ').append(name(a)).append("=\"").append(escape(a.getValue())).append('"');
        sb.append(">\n");
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            switch (c.getNodeType()) {
                case Node.ELEMENT_NODE -> element((Element) c, depth + 1, sb);
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    String t = c.getNodeValue().strip();
                    if (!t.isEmpty()) sb.append("  ".repeat(depth + 1)).append("text:").append(escape(t)).append('\n');
                }
                default -> { }
            }
        }
        sb.append("  ".repeat(depth)).append("</").append(name(e)).append(">\n");
    }

    private static String name(Node n) {
        String local = n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
        String ns = n.getNamespaceURI();
        return ns == null || ns.isEmpty() ? local : "{" + ns + "}" + local;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace("\n", "\\n");
    }
}
