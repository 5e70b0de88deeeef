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

/** <controller>. */
@XmlRootElement(name = "controller")
@XmlAccessorType(XmlAccessType.FIELD)
public class Controller extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = ControllerModel.class),
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

    /** The index attribute, or null. */
    public String getIndex() {
        return attribute("index");
    }

    public void setIndex(String index) {
        setAttribute("index", index);
    }

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }

    /** The ports attribute, or null. */
    public String getPorts() {
        return attribute("ports");
    }

    public void setPorts(String ports) {
        setAttribute("ports", ports);
    }

    /** The vectors attribute, or null. */
    public String getVectors() {
        return attribute("vectors");
    }

    public void setVectors(String vectors) {
        setAttribute("vectors", vectors);
    }

    /** The maxGrantFrames attribute, or null. */
    public String getMaxGrantFrames() {
        return attribute("maxGrantFrames");
    }

    public void setMaxGrantFrames(String maxGrantFrames) {
        setAttribute("maxGrantFrames", maxGrantFrames);
    }

    /** The maxEventChannels attribute, or null. */
    public String getMaxEventChannels() {
        return attribute("maxEventChannels");
    }

    public void setMaxEventChannels(String maxEventChannels) {
        setAttribute("maxEventChannels", maxEventChannels);
    }

    public ControllerModel getModelElement() {
        return child(ControllerModel.class);
    }

    public void setModelElement(ControllerModel value) {
        setChild(ControllerModel.class, value);
    }
}
