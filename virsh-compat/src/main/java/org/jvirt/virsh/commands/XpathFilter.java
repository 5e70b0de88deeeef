package org.jvirt.virsh.commands;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.sax.SAXResult;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.io.LibvirtXmlWriter;
import org.jvirt.xml.io.SecureXml;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The --xpath and --wrap of virsh's XML dumps (virshDumpXML): each node the expression selects,
 * as xmlNodeDump formats it, one a line; with wrap, all of them inside {@code <nodes>}.
 */
final class XpathFilter {

    private XpathFilter() { }

    static String apply(String xml, String expression, boolean wrap) throws LibvirtException {
        NodeList nodes;
        try {
            Document doc = SecureXml.documentBuilder().parse(new InputSource(new StringReader(xml)));
            nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(expression, doc, XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE,
                    "Incorrect xpath '" + expression + "'");
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
        StringBuilder b = new StringBuilder();
        if (wrap) {
            b.append("<nodes>\n");
            for (int i = 0; i < nodes.getLength(); i++) {
                for (String line : dump(nodes.item(i)).split("\n", -1)) b.append("  ").append(line).append('\n');
            }
            return b.append("</nodes>\n").toString();
        }
        for (int i = 0; i < nodes.getLength(); i++) b.append(dump(nodes.item(i))).append('\n');
        return b.toString();
    }

    /** xmlNodeDump: an element formatted, an attribute as ` name="value"`, text as it is. */
    private static String dump(Node n) throws LibvirtException {
        if (n instanceof Attr a) return " " + a.getName() + "=\"" + a.getValue().replace("&", "&amp;").replace("\"", "&quot;") + "\"";
        if (!(n instanceof Element e)) return n.getTextContent();
        try {
            LibvirtXmlWriter w = new LibvirtXmlWriter(null);
            TransformerFactory f = TransformerFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.newTransformer().transform(new DOMSource(e), new SAXResult(w));
            return w.resultAsLibxml2();
        } catch (Exception ex) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE, ex.getMessage());
        }
    }
}
