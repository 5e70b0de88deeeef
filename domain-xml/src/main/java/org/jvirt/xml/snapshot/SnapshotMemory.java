package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <memory>: where (and whether) guest memory is saved. */
@XmlRootElement(name = "memory")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotMemory extends GenericNode {

    /** The snapshot attribute, or null. */
    public String getSnapshot() {
        return attribute("snapshot");
    }

    public void setSnapshot(String snapshot) {
        setAttribute("snapshot", snapshot);
    }

    /** The file attribute, or null. */
    public String getFile() {
        return attribute("file");
    }

    public void setFile(String file) {
        setAttribute("file", file);
    }
}
