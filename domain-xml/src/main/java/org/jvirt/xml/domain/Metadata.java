package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

import java.util.List;

/** <metadata>: application elements in their own namespaces, kept as DOM. */
@XmlRootElement(name = "metadata")
@XmlAccessorType(XmlAccessType.FIELD)
public class Metadata extends GenericNode {

    /** The application element in the given namespace, or null (libvirt keeps one per namespace). */
    public org.w3c.dom.Element element(String namespaceUri) {
        for (org.w3c.dom.Element e : unknownChildren()) if (namespaceUri.equals(e.getNamespaceURI())) return e;
        return null;
    }

    /**
     * Sets the element of its namespace, replacing the one there (libvirt's
     * virDomainSetMetadata with type ELEMENT); null content removes it.
     */
    public void setElement(String namespaceUri, org.w3c.dom.Element value) {
        List<Object> c = content();
        for (int i = 0; i < c.size(); i++) {
            if (c.get(i) instanceof org.w3c.dom.Element e && namespaceUri.equals(e.getNamespaceURI())) {
                if (value == null) c.remove(i); else c.set(i, value);
                return;
            }
        }
        if (value != null) c.add(value);
    }
}
