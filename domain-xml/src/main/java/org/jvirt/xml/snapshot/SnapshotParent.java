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

/** <parent>: the snapshot this one was taken after. */
@XmlRootElement(name = "parent")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotParent extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = SnapshotName.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The text of <SnapshotName>, trimmed, or null when absent. */
    public String getName() {
        SnapshotName e = child(SnapshotName.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <SnapshotName> (created where libvirt puts it); null removes it. */
    public void setName(String value) {
        if (value == null) { setChild(SnapshotName.class, null); return; }
        childOrCreate(SnapshotName.class, SnapshotName::new).setValue(value);
    }
}
