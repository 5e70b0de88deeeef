package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <driver> */
@XmlRootElement(name = "driver")
@XmlAccessorType(XmlAccessType.FIELD)
public class FilesystemDriver extends GenericNode {

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The format attribute, or null. */
    public String getFormat() {
        return attribute("format");
    }

    public void setFormat(String format) {
        setAttribute("format", format);
    }

    /** The wrpolicy attribute, or null. */
    public String getWrpolicy() {
        return attribute("wrpolicy");
    }

    public void setWrpolicy(String wrpolicy) {
        setAttribute("wrpolicy", wrpolicy);
    }

    /** The queue attribute, or null. */
    public String getQueue() {
        return attribute("queue");
    }

    public void setQueue(String queue) {
        setAttribute("queue", queue);
    }
}
