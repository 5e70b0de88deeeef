package org.jvirt.driver.test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The parts of a {@code <domainsnapshot>} request the test driver uses: name and description,
 * and for a redefinition (virDomainSnapshotDefParse with REDEFINE) also state, creation time,
 * parent, memory and disk modes and the domain's XML as given. Each disk is
 * {name, snapshot mode, type, driver type, source file or dev}, absent parts empty or null.
 */
public record SnapshotRequest(String name, String description, String state, Long creationTime, String parent,
                       String memory, String memoryFile, List<String[]> disks, String domainXml) {

    public static SnapshotRequest parse(String xml) throws LibvirtException {
        Element root;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            javax.xml.parsers.DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(null); // the error is reported once, below, not printed by the parser
            Document doc = builder.parse(new InputSource(new StringReader(xml)));
            root = doc.getDocumentElement();
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "(domain_snapshot): " + e.getMessage());
        }
        if (!root.getTagName().equals("domainsnapshot")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "unexpected root element <" + root.getTagName() + ">, expecting <domainsnapshot>");
        }
        Element parent = child(root, "parent");
        Element memory = child(root, "memory");
        List<String[]> disks = new ArrayList<>();
        Element disksEl = child(root, "disks");
        if (disksEl != null) {
            for (Node n = disksEl.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("disk")) {
                    Element src = child(e, "source"), drv = child(e, "driver");
                    String file = src == null ? null : src.hasAttribute("file") ? src.getAttribute("file")
                            : src.hasAttribute("dev") ? src.getAttribute("dev") : null;
                    disks.add(new String[] {e.getAttribute("name"), e.getAttribute("snapshot"),
                        e.hasAttribute("type") ? e.getAttribute("type") : null,
                        drv == null || !drv.hasAttribute("type") ? null : drv.getAttribute("type"), file});
                }
            }
        }
        String time = text(root, "creationTime");
        Long creation = null;
        if (time != null) {
            try {
                creation = Long.parseLong(time.trim());
            } catch (NumberFormatException e) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                        "missing creationTime from existing snapshot");
            }
        }
        return new SnapshotRequest(text(root, "name"), text(root, "description"), text(root, "state"), creation,
                parent == null ? null : text(parent, "name"), memory == null ? null : memory.getAttribute("snapshot"),
                memory == null || !memory.hasAttribute("file") ? null : memory.getAttribute("file"), disks, domainXml(xml));
    }

    /** The {@code <domain>} element as written (the test driver parses it like a define). */
    private static String domainXml(String xml) {
        int start = -1;
        for (int i = xml.indexOf("<domain"); i >= 0; i = xml.indexOf("<domain", i + 1)) {
            char next = i + 7 < xml.length() ? xml.charAt(i + 7) : '>';
            if (next == '>' || Character.isWhitespace(next)) {
                start = i;
                break;
            }
        }
        int end = xml.lastIndexOf("</domain>");
        return start < 0 || end < start ? null : xml.substring(start, end + "</domain>".length());
    }

    private static Element child(Element root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static String text(Element root, String name) {
        Element e = child(root, name);
        return e == null ? null : e.getTextContent();
    }
}
