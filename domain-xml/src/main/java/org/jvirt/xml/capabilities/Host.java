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

/** <host>: the host the hypervisor runs on. */
@XmlRootElement(name = "host")
@XmlAccessorType(XmlAccessType.FIELD)
public class Host extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = CapsUuid.class),
            @XmlElementRef(type = HostCpu.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The text of <CapsUuid>, trimmed, or null when absent. */
    public String getUuid() {
        CapsUuid e = child(CapsUuid.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <CapsUuid> (created where libvirt puts it); null removes it. */
    public void setUuid(String value) {
        if (value == null) { setChild(CapsUuid.class, null); return; }
        childOrCreate(CapsUuid.class, CapsUuid::new).setValue(value);
    }

    public HostCpu getCpu() {
        return child(HostCpu.class);
    }

    public void setCpu(HostCpu value) {
        setChild(HostCpu.class, value);
    }
}
