package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <disk><target>. */
@XmlRootElement(name = "target")
@XmlAccessorType(XmlAccessType.FIELD)
public class DiskTarget extends GenericNode {

    /** The dev attribute, or null. */
    public String getDev() {
        return attribute("dev");
    }

    public void setDev(String dev) {
        setAttribute("dev", dev);
    }

    /** The bus attribute, or null. */
    public String getBus() {
        return attribute("bus");
    }

    public void setBus(String bus) {
        setAttribute("bus", bus);
    }

    /** The tray attribute, or null. */
    public String getTray() {
        return attribute("tray");
    }

    public void setTray(String tray) {
        setAttribute("tray", tray);
    }

    /** The removable attribute, or null. */
    public String getRemovable() {
        return attribute("removable");
    }

    public void setRemovable(String removable) {
        setAttribute("removable", removable);
    }

    /** The rotation_rate attribute, or null. */
    public String getRotationRate() {
        return attribute("rotation_rate");
    }

    public void setRotationRate(String rotationRate) {
        setAttribute("rotation_rate", rotationRate);
    }
}
