package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <bootmenu> */
@XmlRootElement(name = "bootmenu")
@XmlAccessorType(XmlAccessType.FIELD)
public class BootMenu extends GenericNode {

    /** The enable attribute, or null. */
    public String getEnable() {
        return attribute("enable");
    }

    public void setEnable(String enable) {
        setAttribute("enable", enable);
    }

    /** The timeout attribute, or null. */
    public String getTimeout() {
        return attribute("timeout");
    }

    public void setTimeout(String timeout) {
        setAttribute("timeout", timeout);
    }
}
