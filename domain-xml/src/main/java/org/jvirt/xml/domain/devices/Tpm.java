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

/** <tpm>. */
@XmlRootElement(name = "tpm")
@XmlAccessorType(XmlAccessType.FIELD)
public class Tpm extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = TpmBackend.class),
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

    public TpmBackend getBackend() {
        return child(TpmBackend.class);
    }

    public void setBackend(TpmBackend value) {
        setChild(TpmBackend.class, value);
    }
}
