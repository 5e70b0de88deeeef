package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <interface><target>. */
@XmlRootElement(name = "target")
@XmlAccessorType(XmlAccessType.FIELD)
public class InterfaceTarget extends GenericNode {

    /** The dev attribute, or null. */
    public String getDev() {
        return attribute("dev");
    }

    public void setDev(String dev) {
        setAttribute("dev", dev);
    }

    /** The managed attribute, or null. */
    public String getManaged() {
        return attribute("managed");
    }

    public void setManaged(String managed) {
        setAttribute("managed", managed);
    }
}
