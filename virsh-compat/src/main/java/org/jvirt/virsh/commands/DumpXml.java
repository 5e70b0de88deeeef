package org.jvirt.virsh.commands;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.xml.io.SecureXml;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.model.SourceTree;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * virsh's virshDumpXML: the whole document, or with --xpath the nodes it selects, each dumped
 * as libxml2's xmlNodeDump formats it (blanks dropped, two-space indent, attributes in double
 * quotes in document order), or with --wrap all of them under one {@code <nodes>} element.
 */
final class DumpXml {

    private DumpXml() { }

    static boolean print(Vsh vsh, String xml, String xpath, boolean wrap) throws LibvirtException {
        if (xpath == null) {
            vsh.print(xml);
            return true;
        }
        Document doc;
        SourceTree tree;
        try {
            tree = SecureXml.scan(xml, "(null)", XmlLimits.LIBVIRT);
            doc = SecureXml.documentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
        XPath xp = XPathFactory.newInstance().newXPath();
        XPathExpression expr;
        try {
            expr = xp.compile(xpath);
        } catch (XPathExpressionException e) {
            // libxml2 reports a bad expression itself and virsh then prints no node
            // (libxml2 puts the caret where parsing stopped; here under the last character)
            vsh.errorRaw("XPath error : Invalid expression\n" + xpath + "\n" + " ".repeat(Math.max(0, xpath.length() - 1)) + "^\n");
            if (wrap) vsh.print("<nodes/>\n");
            return true;
        }
        NodeList nodes;
        try {
            nodes = (NodeList) expr.evaluate(doc, XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE, "Incorrect xpath '" + xpath + "'");
        }
        List<Node> selected = inDocumentOrder(nodes, tree);
        StringBuilder b = new StringBuilder();
        if (!wrap) {
            for (Node n : selected) {
                dump(b, n, tree, 0);
                b.append('\n');
            }
            vsh.print(b.toString());
            return true;
        }
        // --wrap: attributes become the wrapper's, the other nodes its children
        // libxml2 adds each attribute to the wrapper: one of the same name is replaced, the new one goes last
        java.util.LinkedHashMap<String, Node> wrapperAttributes = new java.util.LinkedHashMap<>();
        List<Node> children = new ArrayList<>();
        for (Node n : selected) {
            if (n.getNodeType() == Node.ATTRIBUTE_NODE) {
                wrapperAttributes.remove(n.getNodeName());
                wrapperAttributes.put(n.getNodeName(), n);
            } else {
                children.add(n);
            }
        }
        StringBuilder attrs = new StringBuilder();
        for (Node n : wrapperAttributes.values()) dump(attrs, n, tree, 0);
        b.append("<nodes").append(attrs);
        if (children.isEmpty()) {
            b.append("/>");
        } else if (children.stream().allMatch(n -> n.getNodeType() == Node.TEXT_NODE)) {
            b.append('>');
            for (Node n : children) dump(b, n, tree, 0);
            b.append("</nodes>");
        } else {
            b.append('>');
            for (Node n : children) {
                b.append("\n  ");
                dump(b, n, tree, 1);
            }
            b.append("\n</nodes>");
        }
        vsh.print(b.append('\n').toString());
        return true;
    }

    /**
     * The selected nodes; the attributes of one element in the order the document has them
     * (DOM sorts them by name, libxml2 keeps them as written).
     */
    private static List<Node> inDocumentOrder(NodeList nodes, SourceTree tree) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add(nodes.item(i));
        int i = 0;
        while (i < out.size()) {
            Node first = out.get(i);
            int j = i;
            while (j < out.size() && out.get(j).getNodeType() == Node.ATTRIBUTE_NODE && first.getNodeType() == Node.ATTRIBUTE_NODE
                    && ((Attr) out.get(j)).getOwnerElement() == ((Attr) first).getOwnerElement()) j++;
            if (j - i > 1) {
                List<String> order = new ArrayList<>();
                for (String[] a : source(((Attr) first).getOwnerElement(), tree).attributes) order.add(a[0]);
                out.subList(i, j).sort(java.util.Comparator.comparingInt(n -> order.indexOf(n.getNodeName())));
            }
            i = Math.max(j, i + 1);
        }
        return out;
    }

    /** The SourceTree element a DOM element stands for (same child-element positions from the root). */
    private static SourceTree.Element source(Node e, SourceTree tree) {
        Deque<Integer> path = new ArrayDeque<>();
        for (Node n = e; n.getParentNode() != null && n.getParentNode().getNodeType() == Node.ELEMENT_NODE; n = n.getParentNode()) {
            int index = 0;
            for (Node s = n.getPreviousSibling(); s != null; s = s.getPreviousSibling()) {
                if (s.getNodeType() == Node.ELEMENT_NODE) index++;
            }
            path.push(index);
        }
        SourceTree.Element cur = tree.root;
        for (int index : path) cur = elements(cur).get(index);
        return cur;
    }

    private static List<SourceTree.Element> elements(SourceTree.Element e) {
        List<SourceTree.Element> out = new ArrayList<>();
        for (Object c : e.children) if (c instanceof SourceTree.Element el) out.add(el);
        return out;
    }

    private static void dump(StringBuilder b, Node n, SourceTree tree, int level) {
        switch (n.getNodeType()) {
            case Node.ATTRIBUTE_NODE -> b.append(' ').append(n.getNodeName()).append("=\"").append(escapeAttr(n.getNodeValue())).append('"');
            case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> b.append(escapeText(n.getNodeValue()));
            case Node.ELEMENT_NODE -> element(b, source(n, tree), level);
            default -> b.append(n.getTextContent());
        }
    }

    /** xml's root element as xmlNodeDump writes it, its first {@code <name>} child's text replaced (virsh's vol-clone). */
    static String withName(String xml, String name) throws LibvirtException {
        SourceTree tree;
        try {
            tree = SecureXml.scan(xml, "(volume_definition)", XmlLimits.LIBVIRT);
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
        for (SourceTree.Element c : elements(tree.root)) {
            if (c.name.equals("name")) {
                c.children.clear();
                c.children.add(name);
                break;
            }
        }
        StringBuilder b = new StringBuilder();
        element(b, tree.root, 0);
        return b.toString();
    }

    /** xmlNodeDump with format: blank text dropped (xmlKeepBlanksDefault(0)), children indented when all are elements. */
    private static void element(StringBuilder b, SourceTree.Element e, int level) {
        b.append('<').append(e.name);
        for (String[] a : e.attributes) b.append(' ').append(a[0]).append("=\"").append(escapeAttr(a[1])).append('"');
        List<Object> content = new ArrayList<>();
        for (Object c : e.children) {
            if (c instanceof SourceTree.Element || (c instanceof String s && !s.isBlank())) content.add(c);
        }
        if (content.isEmpty()) {
            b.append("/>");
            return;
        }
        b.append('>');
        boolean indent = content.stream().allMatch(c -> c instanceof SourceTree.Element);
        for (Object c : content) {
            if (c instanceof SourceTree.Element child) {
                if (indent) b.append('\n').append("  ".repeat(level + 1));
                element(b, child, level + 1);
            } else {
                b.append(escapeText((String) c));
            }
        }
        if (indent) b.append('\n').append("  ".repeat(level));
        b.append("</").append(e.name).append('>');
    }

    private static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String escapeAttr(String s) {
        return escapeText(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }
}
