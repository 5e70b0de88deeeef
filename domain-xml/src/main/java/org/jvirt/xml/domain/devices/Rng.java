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

/** <rng>: a random number generator. */
@XmlRootElement(name = "rng")
@XmlAccessorType(XmlAccessType.FIELD)
public class Rng extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = RngRate.class),
            @XmlElementRef(type = RngBackend.class),
            @XmlElementRef(type = Alias.class),
            @XmlElementRef(type = DeviceAddress.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }

    public RngRate getRate() {
        return child(RngRate.class);
    }

    public void setRate(RngRate value) {
        setChild(RngRate.class, value);
    }

    public RngBackend getBackend() {
        return child(RngBackend.class);
    }

    public void setBackend(RngBackend value) {
        setChild(RngBackend.class, value);
    }
}
