package org.jvirt.xml.domaincaps;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <domainCapabilities>: what a hypervisor offers for one emulator, arch and machine type; the rest is kept as is. */
@XmlRootElement(name = "domainCapabilities")
@XmlAccessorType(XmlAccessType.FIELD)
public class DomainCapabilities extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = EmulatorPath.class),
            @XmlElementRef(type = DomainType.class),
            @XmlElementRef(type = MachineType.class),
            @XmlElementRef(type = Arch.class),
            @XmlElementRef(type = MaxVcpu.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The text of <EmulatorPath>, trimmed, or null when absent. */
    public String getPath() {
        EmulatorPath e = child(EmulatorPath.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <EmulatorPath> (created where libvirt puts it); null removes it. */
    public void setPath(String value) {
        if (value == null) { setChild(EmulatorPath.class, null); return; }
        childOrCreate(EmulatorPath.class, EmulatorPath::new).setValue(value);
    }

    /** The text of <DomainType>, trimmed, or null when absent. */
    public String getDomain() {
        DomainType e = child(DomainType.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <DomainType> (created where libvirt puts it); null removes it. */
    public void setDomain(String value) {
        if (value == null) { setChild(DomainType.class, null); return; }
        childOrCreate(DomainType.class, DomainType::new).setValue(value);
    }

    /** The text of <MachineType>, trimmed, or null when absent. */
    public String getMachine() {
        MachineType e = child(MachineType.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <MachineType> (created where libvirt puts it); null removes it. */
    public void setMachine(String value) {
        if (value == null) { setChild(MachineType.class, null); return; }
        childOrCreate(MachineType.class, MachineType::new).setValue(value);
    }

    /** The text of <Arch>, trimmed, or null when absent. */
    public String getArch() {
        Arch e = child(Arch.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Arch> (created where libvirt puts it); null removes it. */
    public void setArch(String value) {
        if (value == null) { setChild(Arch.class, null); return; }
        childOrCreate(Arch.class, Arch::new).setValue(value);
    }

    public MaxVcpu getVcpu() {
        return child(MaxVcpu.class);
    }

    public void setVcpu(MaxVcpu value) {
        setChild(MaxVcpu.class, value);
    }
}
