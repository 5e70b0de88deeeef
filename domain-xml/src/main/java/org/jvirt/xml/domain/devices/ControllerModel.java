package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <model> */
@XmlRootElement(name = "model")
@XmlAccessorType(XmlAccessType.FIELD)
public class ControllerModel extends GenericNode {

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }
}
