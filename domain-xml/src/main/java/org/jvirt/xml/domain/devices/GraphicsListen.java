package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <listen> */
@XmlRootElement(name = "listen")
@XmlAccessorType(XmlAccessType.FIELD)
public class GraphicsListen extends GenericNode {

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The address attribute, or null. */
    public String getAddress() {
        return attribute("address");
    }

    public void setAddress(String address) {
        setAttribute("address", address);
    }

    /** The network attribute, or null. */
    public String getNetwork() {
        return attribute("network");
    }

    public void setNetwork(String network) {
        setAttribute("network", network);
    }

    /** The socket attribute, or null. */
    public String getSocket() {
        return attribute("socket");
    }

    public void setSocket(String socket) {
        setAttribute("socket", socket);
    }
}
