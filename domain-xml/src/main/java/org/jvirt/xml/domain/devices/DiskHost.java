package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <disk><source><host>. */
@XmlRootElement(name = "host")
@XmlAccessorType(XmlAccessType.FIELD)
public class DiskHost extends GenericNode {

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The port attribute, or null. */
    public String getPort() {
        return attribute("port");
    }

    public void setPort(String port) {
        setAttribute("port", port);
    }

    /** The transport attribute, or null. */
    public String getTransport() {
        return attribute("transport");
    }

    public void setTransport(String transport) {
        setAttribute("transport", transport);
    }

    /** The socket attribute, or null. */
    public String getSocket() {
        return attribute("socket");
    }

    public void setSocket(String socket) {
        setAttribute("socket", socket);
    }
}
