package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <protocol> */
@XmlRootElement(name = "protocol")
@XmlAccessorType(XmlAccessType.FIELD)
public class CharProtocol extends GenericNode {

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }
}
