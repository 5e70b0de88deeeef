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

/** <guest><arch>. */
@XmlRootElement(name = "arch")
@XmlAccessorType(XmlAccessType.FIELD)
public class GuestArch extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = Wordsize.class),
            @XmlElementRef(type = GuestEmulator.class),
            @XmlElementRef(type = Machine.class),
            @XmlElementRef(type = GuestDomain.class)
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

    /** The text of <Wordsize>, trimmed, or null when absent. */
    public String getWordsize() {
        Wordsize e = child(Wordsize.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Wordsize> (created where libvirt puts it); null removes it. */
    public void setWordsize(String value) {
        if (value == null) { setChild(Wordsize.class, null); return; }
        childOrCreate(Wordsize.class, Wordsize::new).setValue(value);
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

    /** The <GuestDomain> children in document order (a copy; use add/remove to change). */
    public List<GuestDomain> getDomains() {
        return children(GuestDomain.class);
    }

    public void addDomain(GuestDomain value) {
        addChild(GuestDomain.class, value);
    }

    public boolean removeDomain(GuestDomain value) {
        return content.remove(value);
    }
}
