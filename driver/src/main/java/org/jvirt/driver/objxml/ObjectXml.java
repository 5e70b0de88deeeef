package org.jvirt.driver.objxml;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.io.SecureXml;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * Reading the XML of networks, pools and volumes as libvirt's virXMLParse does: syntax errors
 * in libxml2's words under the document's label ("network_definition"), then the root name
 * checked; the result is the document as read (SourceTree: attributes
 * in document order), small enough for these objects.
 */
public final class ObjectXml {

    private ObjectXml() { }

    /** Parses text whose root must be rootName; label names the document in syntax errors. */
    public static Element parse(String text, String rootName, String label) throws LibvirtException {
        Element root;
        try {
            root = SecureXml.scan(text, label, XmlLimits.LIBVIRT).root;
        } catch (XmlParseException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
        if (!rootName.equals(root.name)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_XML,
                    "expecting root element of '" + rootName + "', not '" + root.name + "'");
        }
        return root;
    }

    /** The element children of e, in document order. */
    public static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Object c : e.children) if (c instanceof Element el) out.add(el);
        return out;
    }

    /** The first child element named name, or null. */
    public static Element child(Element e, String name) {
        for (Element c : children(e)) if (c.name.equals(name)) return c;
        return null;
    }

    /** The element's own text, trimmed. */
    public static String text(Element e) {
        StringBuilder b = new StringBuilder();
        for (Object c : e.children) if (c instanceof String s) b.append(s);
        return b.toString().trim();
    }

    /** The trimmed text of the first child named name, or null when it is absent or empty. */
    public static String childText(Element e, String name) {
        Element c = child(e, name);
        if (c == null) return null;
        String t = text(c);
        return t.isEmpty() ? null : t;
    }

    /** An attribute's value, or null when absent. */
    public static String attr(Element e, String name) {
        for (String[] a : e.attributes) if (a[0].equals(name)) return a[1];
        return null;
    }

    /** The uuid element in canonical form, a new random one when absent; malformed: error of code bad. */
    public static String uuid(Element root, java.util.function.Supplier<java.util.UUID> fresh, ErrorNumber bad)
            throws LibvirtException {
        String text = childText(root, "uuid");
        if (text == null) return fresh.get().toString();
        String canonical = Uuids.canonical(text);
        if (canonical == null) throw new LibvirtException(bad, ErrorDomain.VIR_FROM_XML, "malformed uuid element");
        return canonical;
    }
}
