package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <disk> in a snapshot. */
@XmlRootElement(name = "disk")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotDisk extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = SnapshotDiskSource.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The snapshot attribute, or null. */
    public String getSnapshot() {
        return attribute("snapshot");
    }

    public void setSnapshot(String snapshot) {
        setAttribute("snapshot", snapshot);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    public SnapshotDiskSource getSource() {
        return child(SnapshotDiskSource.class);
    }

    public void setSource(SnapshotDiskSource value) {
        setChild(SnapshotDiskSource.class, value);
    }
}
