package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <interface><mac>. */
@XmlRootElement(name = "mac")
@XmlAccessorType(XmlAccessType.FIELD)
public class Mac extends GenericNode {

    /** The address attribute, or null. */
    public String getAddress() {
        return attribute("address");
    }

    public void setAddress(String address) {
        setAttribute("address", address);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The check attribute, or null. */
    public String getCheck() {
        return attribute("check");
    }

    public void setCheck(String check) {
        setAttribute("check", check);
    }
}
