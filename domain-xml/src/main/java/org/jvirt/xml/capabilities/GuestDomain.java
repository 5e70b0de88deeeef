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

/** <guest><arch><domain>: a domain type (kvm, qemu, test) for this arch. */
@XmlRootElement(name = "domain")
@XmlAccessorType(XmlAccessType.FIELD)
public class GuestDomain extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = GuestEmulator.class),
            @XmlElementRef(type = Machine.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The text of <GuestEmulator>, trimmed, or null when absent. */
    public String getEmulator() {
        GuestEmulator e = child(GuestEmulator.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <GuestEmulator> (created where libvirt puts it); null removes it. */
    public void setEmulator(String value) {
        if (value == null) { setChild(GuestEmulator.class, null); return; }
        childOrCreate(GuestEmulator.class, GuestEmulator::new).setValue(value);
    }

    /** The <Machine> children in document order (a copy; use add/remove to change). */
    public List<Machine> getMachines() {
        return children(Machine.class);
    }

    public void addMachine(Machine value) {
        addChild(Machine.class, value);
    }

    public boolean removeMachine(Machine value) {
        return content.remove(value);
    }
}
