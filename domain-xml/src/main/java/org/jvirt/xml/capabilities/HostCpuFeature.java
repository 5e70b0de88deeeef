package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <feature> */
@XmlRootElement(name = "feature")
@XmlAccessorType(XmlAccessType.FIELD)
public class HostCpuFeature extends GenericNode {

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }
}
