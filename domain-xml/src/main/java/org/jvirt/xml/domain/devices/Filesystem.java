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

/** <filesystem>: a host directory or image shared with the guest. */
@XmlRootElement(name = "filesystem")
@XmlAccessorType(XmlAccessType.FIELD)
public class Filesystem extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = FilesystemDriver.class),
            @XmlElementRef(type = FilesystemSource.class),
            @XmlElementRef(type = FilesystemTarget.class),
            @XmlElementRef(type = Readonly.class),
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

    /** The accessmode attribute, or null. */
    public String getAccessmode() {
        return attribute("accessmode");
    }

    public void setAccessmode(String accessmode) {
        setAttribute("accessmode", accessmode);
    }

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }

    /** The multidevs attribute, or null. */
    public String getMultidevs() {
        return attribute("multidevs");
    }

    public void setMultidevs(String multidevs) {
        setAttribute("multidevs", multidevs);
    }

    /** The fmode attribute, or null. */
    public String getFmode() {
        return attribute("fmode");
    }

    public void setFmode(String fmode) {
        setAttribute("fmode", fmode);
    }

    /** The dmode attribute, or null. */
    public String getDmode() {
        return attribute("dmode");
    }

    public void setDmode(String dmode) {
        setAttribute("dmode", dmode);
    }

    public FilesystemDriver getDriver() {
        return child(FilesystemDriver.class);
    }

    public void setDriver(FilesystemDriver value) {
        setChild(FilesystemDriver.class, value);
    }

    public FilesystemSource getSource() {
        return child(FilesystemSource.class);
    }

    public void setSource(FilesystemSource value) {
        setChild(FilesystemSource.class, value);
    }

    public FilesystemTarget getTarget() {
        return child(FilesystemTarget.class);
    }

    public void setTarget(FilesystemTarget value) {
        setChild(FilesystemTarget.class, value);
    }

    public Readonly getReadonlyMarker() {
        return child(Readonly.class);
    }

    public void setReadonlyMarker(Readonly value) {
        setChild(Readonly.class, value);
    }
}
