package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <hostdev><source>: the host device, kept as is. */
@XmlRootElement(name = "source")
@XmlAccessorType(XmlAccessType.FIELD)
public class HostdevSource extends GenericNode {

    /** The startupPolicy attribute, or null. */
    public String getStartupPolicy() {
        return attribute("startupPolicy");
    }

    public void setStartupPolicy(String startupPolicy) {
        setAttribute("startupPolicy", startupPolicy);
    }

    /** The writeFiltering attribute, or null. */
    public String getWriteFiltering() {
        return attribute("writeFiltering");
    }

    public void setWriteFiltering(String writeFiltering) {
        setAttribute("writeFiltering", writeFiltering);
    }
}
