package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <backend> */
@XmlRootElement(name = "backend")
@XmlAccessorType(XmlAccessType.FIELD)
public class TpmBackend extends GenericNode {

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The version attribute, or null. */
    public String getVersion() {
        return attribute("version");
    }

    public void setVersion(String version) {
        setAttribute("version", version);
    }

    /** The persistent_state attribute, or null. */
    public String getPersistentState() {
        return attribute("persistent_state");
    }

    public void setPersistentState(String persistentState) {
        setAttribute("persistent_state", persistentState);
    }
}
