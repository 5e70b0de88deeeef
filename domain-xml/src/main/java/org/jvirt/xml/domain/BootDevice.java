package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <os><boot dev=...>: one entry of the BIOS boot order. */
@XmlRootElement(name = "boot")
@XmlAccessorType(XmlAccessType.FIELD)
public class BootDevice extends GenericNode {

    /** The dev attribute, or null. */
    public String getDev() {
        return attribute("dev");
    }

    public void setDev(String dev) {
        setAttribute("dev", dev);
    }
}
