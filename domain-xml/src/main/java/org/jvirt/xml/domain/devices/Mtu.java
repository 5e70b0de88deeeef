package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <mtu> */
@XmlRootElement(name = "mtu")
@XmlAccessorType(XmlAccessType.FIELD)
public class Mtu extends GenericNode {

    /** The size attribute, or null. */
    public String getSize() {
        return attribute("size");
    }

    public void setSize(String size) {
        setAttribute("size", size);
    }
}
