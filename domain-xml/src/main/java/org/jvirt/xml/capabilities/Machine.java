package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <machine>: a machine type an emulator offers. */
@XmlRootElement(name = "machine")
@XmlAccessorType(XmlAccessType.FIELD)
public class Machine extends TextNode {

    /** The canonical attribute, or null. */
    public String getCanonical() {
        return attribute("canonical");
    }

    public void setCanonical(String canonical) {
        setAttribute("canonical", canonical);
    }

    /** The maxCpus attribute, or null. */
    public String getMaxCpus() {
        return attribute("maxCpus");
    }

    public void setMaxCpus(String maxCpus) {
        setAttribute("maxCpus", maxCpus);
    }

    /** The deprecated attribute, or null. */
    public String getDeprecated() {
        return attribute("deprecated");
    }

    public void setDeprecated(String deprecated) {
        setAttribute("deprecated", deprecated);
    }
}
