package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <boot order=...> of a device. */
@XmlRootElement(name = "boot")
@XmlAccessorType(XmlAccessType.FIELD)
public class BootOrder extends GenericNode {

    /** The order attribute, or null. */
    public String getOrder() {
        return attribute("order");
    }

    public void setOrder(String order) {
        setAttribute("order", order);
    }

    /** The loadparm attribute, or null. */
    public String getLoadparm() {
        return attribute("loadparm");
    }

    public void setLoadparm(String loadparm) {
        setAttribute("loadparm", loadparm);
    }
}
