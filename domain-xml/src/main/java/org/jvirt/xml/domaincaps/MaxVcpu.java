package org.jvirt.xml.domaincaps;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <vcpu max=...>. */
@XmlRootElement(name = "vcpu")
@XmlAccessorType(XmlAccessType.FIELD)
public class MaxVcpu extends GenericNode {

    /** The max attribute, or null. */
    public String getMax() {
        return attribute("max");
    }

    public void setMax(String max) {
        setAttribute("max", max);
    }
}
