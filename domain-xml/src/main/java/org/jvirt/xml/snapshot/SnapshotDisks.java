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

/** <disks> of a snapshot. */
@XmlRootElement(name = "disks")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotDisks extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = SnapshotDisk.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The <SnapshotDisk> children in document order (a copy; use add/remove to change). */
    public List<SnapshotDisk> getDisks() {
        return children(SnapshotDisk.class);
    }

    public void addDisk(SnapshotDisk value) {
        addChild(SnapshotDisk.class, value);
    }

    public boolean removeDisk(SnapshotDisk value) {
        return content.remove(value);
    }
}
