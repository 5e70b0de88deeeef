package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <stats> */
@XmlRootElement(name = "stats")
@XmlAccessorType(XmlAccessType.FIELD)
public class BalloonStats extends GenericNode {

    /** The period attribute, or null. */
    public String getPeriod() {
        return attribute("period");
    }

    public void setPeriod(String period) {
        setAttribute("period", period);
    }
}
