package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;

/** <maxMemory>: an amount of memory with a unit (default KiB). */
@XmlRootElement(name = "maxMemory")
@XmlAccessorType(XmlAccessType.FIELD)
public class MaxMemory extends ScaledMemory {

    /** The slots attribute, or null. */
    public String getSlots() {
        return attribute("slots");
    }

    public void setSlots(String slots) {
        setAttribute("slots", slots);
    }
}
