package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.model.ElementNode;

/** <domainsnapshot>: a libvirt domain snapshot. */
@XmlRootElement(name = "domainsnapshot")
@XmlAccessorType(XmlAccessType.FIELD)
public class DomainSnapshot extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = SnapshotName.class),
            @XmlElementRef(type = SnapshotDescription.class),
            @XmlElementRef(type = SnapshotState.class),
            @XmlElementRef(type = SnapshotParent.class),
            @XmlElementRef(type = CreationTime.class),
            @XmlElementRef(type = SnapshotMemory.class),
            @XmlElementRef(type = SnapshotDisks.class),
            @XmlElementRef(type = Domain.class),
            @XmlElementRef(type = InactiveDomain.class),
            @XmlElementRef(type = SnapshotActive.class)
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

    /** The text of <SnapshotDescription>, trimmed, or null when absent. */
    public String getDescription() {
        SnapshotDescription e = child(SnapshotDescription.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <SnapshotDescription> (created where libvirt puts it); null removes it. */
    public void setDescription(String value) {
        if (value == null) { setChild(SnapshotDescription.class, null); return; }
        childOrCreate(SnapshotDescription.class, SnapshotDescription::new).setValue(value);
    }

    /** The text of <SnapshotState>, trimmed, or null when absent. */
    public String getState() {
        SnapshotState e = child(SnapshotState.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <SnapshotState> (created where libvirt puts it); null removes it. */
    public void setState(String value) {
        if (value == null) { setChild(SnapshotState.class, null); return; }
        childOrCreate(SnapshotState.class, SnapshotState::new).setValue(value);
    }

    public SnapshotParent getParent() {
        return child(SnapshotParent.class);
    }

    public void setParent(SnapshotParent value) {
        setChild(SnapshotParent.class, value);
    }

    /** The text of <CreationTime>, trimmed, or null when absent. */
    public String getCreationTime() {
        CreationTime e = child(CreationTime.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <CreationTime> (created where libvirt puts it); null removes it. */
    public void setCreationTime(String value) {
        if (value == null) { setChild(CreationTime.class, null); return; }
        childOrCreate(CreationTime.class, CreationTime::new).setValue(value);
    }

    public SnapshotMemory getMemory() {
        return child(SnapshotMemory.class);
    }

    public void setMemory(SnapshotMemory value) {
        setChild(SnapshotMemory.class, value);
    }

    public SnapshotDisks getDisks() {
        return child(SnapshotDisks.class);
    }

    public void setDisks(SnapshotDisks value) {
        setChild(SnapshotDisks.class, value);
    }

    public Domain getDomain() {
        return child(Domain.class);
    }

    public void setDomain(Domain value) {
        setChild(Domain.class, value);
    }

    public InactiveDomain getInactiveDomain() {
        return child(InactiveDomain.class);
    }

    public void setInactiveDomain(InactiveDomain value) {
        setChild(InactiveDomain.class, value);
    }

    /** The text of <SnapshotActive>, trimmed, or null when absent. */
    public String getActive() {
        SnapshotActive e = child(SnapshotActive.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <SnapshotActive> (created where libvirt puts it); null removes it. */
    public void setActive(String value) {
        if (value == null) { setChild(SnapshotActive.class, null); return; }
        childOrCreate(SnapshotActive.class, SnapshotActive::new).setValue(value);
    }
}
