package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <cpu><feature>. */
@XmlRootElement(name = "feature")
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuFeature extends GenericNode {

    /** The policy attribute, or null. */
    public String getPolicy() {
        return attribute("policy");
    }

    public void setPolicy(String policy) {
        setAttribute("policy", policy);
    }

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }
}
