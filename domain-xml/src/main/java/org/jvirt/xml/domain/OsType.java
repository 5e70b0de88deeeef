package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <os><type>: hvm, linux, exe, xen ... with arch and machine. */
@XmlRootElement(name = "type")
@XmlAccessorType(XmlAccessType.FIELD)
public class OsType extends TextNode {

    /** The arch attribute, or null. */
    public String getArch() {
        return attribute("arch");
    }

    public void setArch(String arch) {
        setAttribute("arch", arch);
    }

    /** The machine attribute, or null. */
    public String getMachine() {
        return attribute("machine");
    }

    public void setMachine(String machine) {
        setAttribute("machine", machine);
    }
}
