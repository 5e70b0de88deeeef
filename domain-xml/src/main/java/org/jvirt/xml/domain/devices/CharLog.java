package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <log> */
@XmlRootElement(name = "log")
@XmlAccessorType(XmlAccessType.FIELD)
public class CharLog extends GenericNode {

    /** The file attribute, or null. */
    public String getFile() {
        return attribute("file");
    }

    public void setFile(String file) {
        setAttribute("file", file);
    }

    /** The append attribute, or null. */
    public String getAppend() {
        return attribute("append");
    }

    public void setAppend(String append) {
        setAttribute("append", append);
    }
}
