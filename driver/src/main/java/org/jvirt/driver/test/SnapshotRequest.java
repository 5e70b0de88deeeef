package org.jvirt.driver.test;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** The parts of a {@code <domainsnapshot>} request the test driver uses: name and description. */
record SnapshotRequest(String name, String description) {

    static SnapshotRequest parse(String xml) throws LibvirtException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            Element root = doc.getDocumentElement();
            if (!root.getTagName().equals("domainsnapshot")) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                        "unexpected root element <" + root.getTagName() + ">, expecting <domainsnapshot>");
            }
            return new SnapshotRequest(text(root, "name"), text(root, "description"));
        } catch (LibvirtException e) {
            throw e;
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "(domain_snapshot): " + e.getMessage());
        }
    }

    private static String text(Element root, String child) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(child)) return e.getTextContent();
        }
        return null;
    }
}
