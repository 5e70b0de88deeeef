package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;

/** <memory>: an amount of memory with a unit (default KiB). */
@XmlRootElement(name = "memory")
@XmlAccessorType(XmlAccessType.FIELD)
public class Memory extends ScaledMemory {

    /** The dumpCore attribute, or null. */
    public String getDumpCore() {
        return attribute("dumpCore");
    }

    public void setDumpCore(String dumpCore) {
        setAttribute("dumpCore", dumpCore);
    }
}
