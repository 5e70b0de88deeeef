package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** target of a character device. */
@XmlRootElement(name = "target")
@XmlAccessorType(XmlAccessType.FIELD)
public class CharTarget extends GenericNode {

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The port attribute, or null. */
    public String getPort() {
        return attribute("port");
    }

    public void setPort(String port) {
        setAttribute("port", port);
    }

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The state attribute, or null. */
    public String getState() {
        return attribute("state");
    }

    public void setState(String state) {
        setAttribute("state", state);
    }

    /** The address attribute, or null. */
    public String getAddress() {
        return attribute("address");
    }

    public void setAddress(String address) {
        setAttribute("address", address);
    }
}
