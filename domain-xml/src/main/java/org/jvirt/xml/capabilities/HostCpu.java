package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.domain.CpuTopology;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <host><cpu>. */
@XmlRootElement(name = "cpu")
@XmlAccessorType(XmlAccessType.FIELD)
public class HostCpu extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = HostArch.class),
            @XmlElementRef(type = CpuModelName.class),
            @XmlElementRef(type = CpuVendorName.class),
            @XmlElementRef(type = CpuTopology.class),
            @XmlElementRef(type = HostCpuFeature.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The text of <HostArch>, trimmed, or null when absent. */
    public String getArch() {
        HostArch e = child(HostArch.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <HostArch> (created where libvirt puts it); null removes it. */
    public void setArch(String value) {
        if (value == null) { setChild(HostArch.class, null); return; }
        childOrCreate(HostArch.class, HostArch::new).setValue(value);
    }

    /** The text of <CpuModelName>, trimmed, or null when absent. */
    public String getModel() {
        CpuModelName e = child(CpuModelName.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <CpuModelName> (created where libvirt puts it); null removes it. */
    public void setModel(String value) {
        if (value == null) { setChild(CpuModelName.class, null); return; }
        childOrCreate(CpuModelName.class, CpuModelName::new).setValue(value);
    }

    /** The text of <CpuVendorName>, trimmed, or null when absent. */
    public String getVendor() {
        CpuVendorName e = child(CpuVendorName.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <CpuVendorName> (created where libvirt puts it); null removes it. */
    public void setVendor(String value) {
        if (value == null) { setChild(CpuVendorName.class, null); return; }
        childOrCreate(CpuVendorName.class, CpuVendorName::new).setValue(value);
    }

    public CpuTopology getTopology() {
        return child(CpuTopology.class);
    }

    public void setTopology(CpuTopology value) {
        setChild(CpuTopology.class, value);
    }

    /** The <HostCpuFeature> children in document order (a copy; use add/remove to change). */
    public List<HostCpuFeature> getFeatures() {
        return children(HostCpuFeature.class);
    }

    public void addFeature(HostCpuFeature value) {
        addChild(HostCpuFeature.class, value);
    }

    public boolean removeFeature(HostCpuFeature value) {
        return content.remove(value);
    }
}
