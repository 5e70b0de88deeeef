package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <features>: hypervisor features; those not typed are kept as DOM and found by name. */
@XmlRootElement(name = "features")
@XmlAccessorType(XmlAccessType.FIELD)
public class Features extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = Pae.class),
            @XmlElementRef(type = Acpi.class),
            @XmlElementRef(type = Apic.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    public Pae getPae() {
        return child(Pae.class);
    }

    public void setPae(Pae value) {
        setChild(Pae.class, value);
    }

    public Acpi getAcpi() {
        return child(Acpi.class);
    }

    public void setAcpi(Acpi value) {
        setChild(Acpi.class, value);
    }

    public Apic getApic() {
        return child(Apic.class);
    }

    public void setApic(Apic value) {
        setChild(Apic.class, value);
    }

    /**
     * Whether a feature is present, typed or not (hyperv, kvm, smm, vmport ... are kept as
     * DOM): by element name, as libvirt's {@code <features>} lists them.
     */
    public boolean has(String name) {
        for (Object o : content) {
            if (o instanceof org.jvirt.xml.model.XmlNode n && n.elementName().equals(name)) return true;
            if (o instanceof org.w3c.dom.Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) return true;
        }
        return false;
    }
}
