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

/** <interface>: a network interface (network, bridge, user, ethernet, direct ...). */
@XmlRootElement(name = "interface")
@XmlAccessorType(XmlAccessType.FIELD)
public class Interface extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = Mac.class),
            @XmlElementRef(type = InterfaceSource.class),
            @XmlElementRef(type = InterfaceTarget.class),
            @XmlElementRef(type = InterfaceModel.class),
            @XmlElementRef(type = InterfaceDriver.class),
            @XmlElementRef(type = Link.class),
            @XmlElementRef(type = Mtu.class),
            @XmlElementRef(type = BootOrder.class),
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

    /** The trustGuestRxFilters attribute, or null. */
    public String getTrustGuestRxFilters() {
        return attribute("trustGuestRxFilters");
    }

    public void setTrustGuestRxFilters(String trustGuestRxFilters) {
        setAttribute("trustGuestRxFilters", trustGuestRxFilters);
    }

    public Mac getMac() {
        return child(Mac.class);
    }

    public void setMac(Mac value) {
        setChild(Mac.class, value);
    }

    public InterfaceSource getSource() {
        return child(InterfaceSource.class);
    }

    public void setSource(InterfaceSource value) {
        setChild(InterfaceSource.class, value);
    }

    public InterfaceTarget getTarget() {
        return child(InterfaceTarget.class);
    }

    public void setTarget(InterfaceTarget value) {
        setChild(InterfaceTarget.class, value);
    }

    public InterfaceModel getModel() {
        return child(InterfaceModel.class);
    }

    public void setModel(InterfaceModel value) {
        setChild(InterfaceModel.class, value);
    }

    public InterfaceDriver getDriver() {
        return child(InterfaceDriver.class);
    }

    public void setDriver(InterfaceDriver value) {
        setChild(InterfaceDriver.class, value);
    }

    public Link getLink() {
        return child(Link.class);
    }

    public void setLink(Link value) {
        setChild(Link.class, value);
    }

    public Mtu getMtu() {
        return child(Mtu.class);
    }

    public void setMtu(Mtu value) {
        setChild(Mtu.class, value);
    }

    public BootOrder getBoot() {
        return child(BootOrder.class);
    }

    public void setBoot(BootOrder value) {
        setChild(BootOrder.class, value);
    }
}
