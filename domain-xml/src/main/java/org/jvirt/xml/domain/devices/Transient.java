package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <transient/> marker. */
@XmlRootElement(name = "transient")
@XmlAccessorType(XmlAccessType.FIELD)
public class Transient extends GenericNode {

    /** The shareBacking attribute, or null. */
    public String getShareBacking() {
        return attribute("shareBacking");
    }

    public void setShareBacking(String shareBacking) {
        setAttribute("shareBacking", shareBacking);
    }
}
