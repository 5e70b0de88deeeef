package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <disk><source> of a snapshot disk. */
@XmlRootElement(name = "source")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotDiskSource extends GenericNode {

    /** The file attribute, or null. */
    public String getFile() {
        return attribute("file");
    }

    public void setFile(String file) {
        setAttribute("file", file);
    }

    /** The dev attribute, or null. */
    public String getDev() {
        return attribute("dev");
    }

    public void setDev(String dev) {
        setAttribute("dev", dev);
    }

    /** The protocol attribute, or null. */
    public String getProtocol() {
        return attribute("protocol");
    }

    public void setProtocol(String protocol) {
        setAttribute("protocol", protocol);
    }

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The index attribute, or null. */
    public String getIndex() {
        return attribute("index");
    }

    public void setIndex(String index) {
        setAttribute("index", index);
    }
}
