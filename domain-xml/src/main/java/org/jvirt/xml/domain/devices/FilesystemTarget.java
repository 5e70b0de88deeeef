package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <target> */
@XmlRootElement(name = "target")
@XmlAccessorType(XmlAccessType.FIELD)
public class FilesystemTarget extends GenericNode {

    /** The dir attribute, or null. */
    public String getDir() {
        return attribute("dir");
    }

    public void setDir(String dir) {
        setAttribute("dir", dir);
    }
}
