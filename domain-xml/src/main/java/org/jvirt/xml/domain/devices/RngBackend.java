package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <rng><backend>. */
@XmlRootElement(name = "backend")
@XmlAccessorType(XmlAccessType.FIELD)
public class RngBackend extends TextNode {

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }
}
