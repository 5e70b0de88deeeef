package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <clock><timer>. */
@XmlRootElement(name = "timer")
@XmlAccessorType(XmlAccessType.FIELD)
public class Timer extends GenericNode {

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The present attribute, or null. */
    public String getPresent() {
        return attribute("present");
    }

    public void setPresent(String present) {
        setAttribute("present", present);
    }

    /** The tickpolicy attribute, or null. */
    public String getTickpolicy() {
        return attribute("tickpolicy");
    }

    public void setTickpolicy(String tickpolicy) {
        setAttribute("tickpolicy", tickpolicy);
    }

    /** The track attribute, or null. */
    public String getTrack() {
        return attribute("track");
    }

    public void setTrack(String track) {
        setAttribute("track", track);
    }

    /** The frequency attribute, or null. */
    public String getFrequency() {
        return attribute("frequency");
    }

    public void setFrequency(String frequency) {
        setAttribute("frequency", frequency);
    }

    /** The mode attribute, or null. */
    public String getMode() {
        return attribute("mode");
    }

    public void setMode(String mode) {
        setAttribute("mode", mode);
    }
}
