package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.model.ElementNode;

/** <domain>: a libvirt domain definition. */
@XmlRootElement(name = "domain")
@XmlAccessorType(XmlAccessType.FIELD)
public class Domain extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = Name.class),
            @XmlElementRef(type = Uuid.class),
            @XmlElementRef(type = Genid.class),
            @XmlElementRef(type = Title.class),
            @XmlElementRef(type = Description.class),
            @XmlElementRef(type = Metadata.class),
            @XmlElementRef(type = MaxMemory.class),
            @XmlElementRef(type = Memory.class),
            @XmlElementRef(type = CurrentMemory.class),
            @XmlElementRef(type = Vcpu.class),
            @XmlElementRef(type = Os.class),
            @XmlElementRef(type = Features.class),
            @XmlElementRef(type = Cpu.class),
            @XmlElementRef(type = Clock.class),
            @XmlElementRef(type = OnPoweroff.class),
            @XmlElementRef(type = OnReboot.class),
            @XmlElementRef(type = OnCrash.class),
            @XmlElementRef(type = Devices.class)
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

    /** The id attribute, or null. */
    public String getId() {
        return attribute("id");
    }

    public void setId(String id) {
        setAttribute("id", id);
    }

    /** The text of <Name>, trimmed, or null when absent. */
    public String getName() {
        Name e = child(Name.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Name> (created where libvirt puts it); null removes it. */
    public void setName(String value) {
        if (value == null) { setChild(Name.class, null); return; }
        childOrCreate(Name.class, Name::new).setValue(value);
    }

    /** The text of <Uuid>, trimmed, or null when absent. */
    public String getUuid() {
        Uuid e = child(Uuid.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Uuid> (created where libvirt puts it); null removes it. */
    public void setUuid(String value) {
        if (value == null) { setChild(Uuid.class, null); return; }
        childOrCreate(Uuid.class, Uuid::new).setValue(value);
    }

    /** The text of <Genid>, trimmed, or null when absent. */
    public String getGenid() {
        Genid e = child(Genid.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Genid> (created where libvirt puts it); null removes it. */
    public void setGenid(String value) {
        if (value == null) { setChild(Genid.class, null); return; }
        childOrCreate(Genid.class, Genid::new).setValue(value);
    }

    /** The text of <Title>, trimmed, or null when absent. */
    public String getTitle() {
        Title e = child(Title.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Title> (created where libvirt puts it); null removes it. */
    public void setTitle(String value) {
        if (value == null) { setChild(Title.class, null); return; }
        childOrCreate(Title.class, Title::new).setValue(value);
    }

    /** The text of <Description>, trimmed, or null when absent. */
    public String getDescription() {
        Description e = child(Description.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Description> (created where libvirt puts it); null removes it. */
    public void setDescription(String value) {
        if (value == null) { setChild(Description.class, null); return; }
        childOrCreate(Description.class, Description::new).setValue(value);
    }

    public Metadata getMetadata() {
        return child(Metadata.class);
    }

    public void setMetadata(Metadata value) {
        setChild(Metadata.class, value);
    }

    public MaxMemory getMaxMemory() {
        return child(MaxMemory.class);
    }

    public void setMaxMemory(MaxMemory value) {
        setChild(MaxMemory.class, value);
    }

    public Memory getMemory() {
        return child(Memory.class);
    }

    public void setMemory(Memory value) {
        setChild(Memory.class, value);
    }

    public CurrentMemory getCurrentMemory() {
        return child(CurrentMemory.class);
    }

    public void setCurrentMemory(CurrentMemory value) {
        setChild(CurrentMemory.class, value);
    }

    public Vcpu getVcpu() {
        return child(Vcpu.class);
    }

    public void setVcpu(Vcpu value) {
        setChild(Vcpu.class, value);
    }

    public Os getOs() {
        return child(Os.class);
    }

    public void setOs(Os value) {
        setChild(Os.class, value);
    }

    public Features getFeatures() {
        return child(Features.class);
    }

    public void setFeatures(Features value) {
        setChild(Features.class, value);
    }

    public Cpu getCpu() {
        return child(Cpu.class);
    }

    public void setCpu(Cpu value) {
        setChild(Cpu.class, value);
    }

    public Clock getClock() {
        return child(Clock.class);
    }

    public void setClock(Clock value) {
        setChild(Clock.class, value);
    }

    /** The text of <OnPoweroff>, trimmed, or null when absent. */
    public String getOnPoweroff() {
        OnPoweroff e = child(OnPoweroff.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <OnPoweroff> (created where libvirt puts it); null removes it. */
    public void setOnPoweroff(String value) {
        if (value == null) { setChild(OnPoweroff.class, null); return; }
        childOrCreate(OnPoweroff.class, OnPoweroff::new).setValue(value);
    }

    /** The text of <OnReboot>, trimmed, or null when absent. */
    public String getOnReboot() {
        OnReboot e = child(OnReboot.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <OnReboot> (created where libvirt puts it); null removes it. */
    public void setOnReboot(String value) {
        if (value == null) { setChild(OnReboot.class, null); return; }
        childOrCreate(OnReboot.class, OnReboot::new).setValue(value);
    }

    /** The text of <OnCrash>, trimmed, or null when absent. */
    public String getOnCrash() {
        OnCrash e = child(OnCrash.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <OnCrash> (created where libvirt puts it); null removes it. */
    public void setOnCrash(String value) {
        if (value == null) { setChild(OnCrash.class, null); return; }
        childOrCreate(OnCrash.class, OnCrash::new).setValue(value);
    }

    public Devices getDevices() {
        return child(Devices.class);
    }

    public void setDevices(Devices value) {
        setChild(Devices.class, value);
    }
}
