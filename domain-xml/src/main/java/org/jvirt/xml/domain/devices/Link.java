package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <link> */
@XmlRootElement(name = "link")
@XmlAccessorType(XmlAccessType.FIELD)
public class Link extends GenericNode {

    /** The state attribute, or null. */
    public String getState() {
        return attribute("state");
    }

    public void setState(String state) {
        setAttribute("state", state);
    }
}
