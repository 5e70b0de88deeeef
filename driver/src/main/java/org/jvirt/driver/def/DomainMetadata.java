package org.jvirt.driver.def;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.sax.SAXResult;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Metadata;
import org.jvirt.xml.io.LibvirtXmlWriter;
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

    private static String format(Element e) throws LibvirtException {
        try {
            LibvirtXmlWriter w = new LibvirtXmlWriter(null);
            TransformerFactory f = TransformerFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.newTransformer().transform(new DOMSource(e), new SAXResult(w));
            return w.resultAsLibxml2();
        } catch (TransformerException ex) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_XML, ex.getMessage());
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
