package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <input>. */
@XmlRootElement(name = "input")
@XmlAccessorType(XmlAccessType.FIELD)
public class Input extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = Alias.class),
            @XmlElementRef(type = DeviceAddress.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The bus attribute, or null. */
    public String getBus() {
        return attribute("bus");
    }

    public void setBus(String bus) {
        setAttribute("bus", bus);
    }

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }
}
