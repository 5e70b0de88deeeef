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

/** <hostdev>: a host device passed through. */
@XmlRootElement(name = "hostdev")
@XmlAccessorType(XmlAccessType.FIELD)
public class Hostdev extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = HostdevSource.class),
            @XmlElementRef(type = BootOrder.class),
            @XmlElementRef(type = Readonly.class),
            @XmlElementRef(type = Shareable.class),
            @XmlElementRef(type = Alias.class),
            @XmlElementRef(type = DeviceAddress.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The mode attribute, or null. */
    public String getMode() {
        return attribute("mode");
    }

    public void setMode(String mode) {
        setAttribute("mode", mode);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The managed attribute, or null. */
    public String getManaged() {
        return attribute("managed");
    }

    public void setManaged(String managed) {
        setAttribute("managed", managed);
    }

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }

    /** The sgio attribute, or null. */
    public String getSgio() {
        return attribute("sgio");
    }

    public void setSgio(String sgio) {
        setAttribute("sgio", sgio);
    }

    /** The rawio attribute, or null. */
    public String getRawio() {
        return attribute("rawio");
    }

    public void setRawio(String rawio) {
        setAttribute("rawio", rawio);
    }

    /** The display attribute, or null. */
    public String getDisplay() {
        return attribute("display");
    }

    public void setDisplay(String display) {
        setAttribute("display", display);
    }

    /** The ramfb attribute, or null. */
    public String getRamfb() {
        return attribute("ramfb");
    }

    public void setRamfb(String ramfb) {
        setAttribute("ramfb", ramfb);
    }

    public HostdevSource getSource() {
        return child(HostdevSource.class);
    }

    public void setSource(HostdevSource value) {
        setChild(HostdevSource.class, value);
    }

    public BootOrder getBoot() {
        return child(BootOrder.class);
    }

    public void setBoot(BootOrder value) {
        setChild(BootOrder.class, value);
    }

    public Readonly getReadonlyMarker() {
        return child(Readonly.class);
    }

    public void setReadonlyMarker(Readonly value) {
        setChild(Readonly.class, value);
    }

    public Shareable getShareableMarker() {
        return child(Shareable.class);
    }

    public void setShareableMarker(Shareable value) {
        setChild(Shareable.class, value);
    }
}
