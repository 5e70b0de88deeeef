package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <features><apic/>. */
@XmlRootElement(name = "apic")
@XmlAccessorType(XmlAccessType.FIELD)
public class Apic extends GenericNode {

    /** The eoi attribute, or null. */
    public String getEoi() {
        return attribute("eoi");
    }

    public void setEoi(String eoi) {
        setAttribute("eoi", eoi);
    }
}
