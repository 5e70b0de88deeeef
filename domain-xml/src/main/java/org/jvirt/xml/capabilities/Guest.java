package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <guest>: what a hypervisor can run. */
@XmlRootElement(name = "guest")
@XmlAccessorType(XmlAccessType.FIELD)
public class Guest extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = OsType.class),
            @XmlElementRef(type = GuestArch.class),
            @XmlElementRef(type = GuestFeatures.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The text of <OsType>, trimmed, or null when absent. */
    public String getOsType() {
        OsType e = child(OsType.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <OsType> (created where libvirt puts it); null removes it. */
    public void setOsType(String value) {
        if (value == null) { setChild(OsType.class, null); return; }
        childOrCreate(OsType.class, OsType::new).setValue(value);
    }

    public GuestArch getArch() {
        return child(GuestArch.class);
    }

    public void setArch(GuestArch value) {
        setChild(GuestArch.class, value);
    }

    public GuestFeatures getFeatures() {
        return child(GuestFeatures.class);
    }

    public void setFeatures(GuestFeatures value) {
        setChild(GuestFeatures.class, value);
    }
}
