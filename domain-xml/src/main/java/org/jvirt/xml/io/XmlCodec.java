package org.jvirt.xml.io;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import org.jvirt.xml.model.ElementNode;
import org.jvirt.xml.model.SourceTree;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;

/**
 * Binds one kind of libvirt document (a root class) to and from text. Parsing first runs the
 * {@link SecureXml} checks, then unmarshals through StAX so that every object knows its line.
 * Thread-safe: the JAXBContext is shared, (un)marshallers are made per call.
 */
public final class XmlCodec<T> {

    private final Class<T> rootType;
    private final String rootName;
    private final String label;
    private final XmlLimits limits;
    private final JAXBContext context;

    public XmlCodec(Class<T> rootType, String rootName, String label, XmlLimits limits) {
        this.rootType = rootType;
        this.rootName = rootName;
        this.label = label;
        this.limits = limits;
        try {
            this.context = JAXBContext.newInstance(rootType);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot bind " + rootType.getName() + ": " + e, e);
        }
    }

    /** Parses text into the model; any failure is one XmlParseException with libvirt's wording. */
    public T parse(String text) throws XmlParseException {
        SourceTree source = SecureXml.scan(text, label, limits);
        XMLStreamReader reader = null;
        try {
            reader = SecureXml.inputFactory().createXMLStreamReader(new StringReader(text));
            reader.nextTag();
            String found = reader.getLocalName();
            if (!rootName.equals(found) || (reader.getNamespaceURI() != null && !reader.getNamespaceURI().isEmpty())) {
                Location l = reader.getLocation();
                throw new XmlParseException(String.format("(%s):%d: unexpected root element <%s>, expecting <%s>",
                        label, l.getLineNumber(), found, rootName), l.getLineNumber(), l.getColumnNumber());
            }
            Unmarshaller u = context.createUnmarshaller();
            T result = u.unmarshal(reader, rootType).getValue();
            if (result instanceof ElementNode node) node.setSource(source);
            return result;
        } catch (UnmarshalException e) {
            Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e.getCause();
            if (cause instanceof XMLStreamException xse) throw SyntaxErrors.translate(xse, text, label, new java.util.ArrayDeque<>());
            throw new XmlParseException("(" + label + "): " + (cause != null ? cause.getMessage() : e.getMessage()), -1, -1);
        } catch (JAXBException e) {
            throw new XmlParseException("(" + label + "): cannot read document: " + e.getMessage(), -1, -1);
        } catch (XMLStreamException e) {
            throw SyntaxErrors.translate(e, text, label, new java.util.ArrayDeque<>());
        } finally {
            if (reader != null) try { reader.close(); } catch (XMLStreamException ignored) { }
        }
    }

    /** Serializes the model the way libvirt formats XML. */
    public String format(T root) {
        try {
            LibvirtXmlWriter writer = new LibvirtXmlWriter(root instanceof ElementNode node ? node.source() : null);
            Marshaller m = context.createMarshaller();
            m.marshal(root, writer);
            return writer.result();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot serialize " + rootName + ": " + e, e);
        }
    }

    public String label() {
        return label;
    }
}
