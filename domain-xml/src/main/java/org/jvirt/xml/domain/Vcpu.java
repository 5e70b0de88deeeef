package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <vcpu>: the maximum vCPU count, with current and placement. */
@XmlRootElement(name = "vcpu")
@XmlAccessorType(XmlAccessType.FIELD)
public class Vcpu extends TextNode {

    /** The placement attribute, or null. */
    public String getPlacement() {
        return attribute("placement");
    }

    public void setPlacement(String placement) {
        setAttribute("placement", placement);
    }

    /** The cpuset attribute, or null. */
    public String getCpuset() {
        return attribute("cpuset");
    }

    public void setCpuset(String cpuset) {
        setAttribute("cpuset", cpuset);
    }

    /** The current attribute, or null. */
    public String getCurrent() {
        return attribute("current");
    }

    public void setCurrent(String current) {
        setAttribute("current", current);
    }
}
