package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <rate> */
@XmlRootElement(name = "rate")
@XmlAccessorType(XmlAccessType.FIELD)
public class RngRate extends GenericNode {

    /** The bytes attribute, or null. */
    public String getBytes() {
        return attribute("bytes");
    }

    public void setBytes(String bytes) {
        setAttribute("bytes", bytes);
    }

    /** The period attribute, or null. */
    public String getPeriod() {
        return attribute("period");
    }

    public void setPeriod(String period) {
        setAttribute("period", period);
    }
}
