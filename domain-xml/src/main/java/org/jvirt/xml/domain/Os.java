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

/** <os>: how the domain boots. */
@XmlRootElement(name = "os")
@XmlAccessorType(XmlAccessType.FIELD)
public class Os extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = OsType.class),
            @XmlElementRef(type = OsFirmware.class),
            @XmlElementRef(type = Loader.class),
            @XmlElementRef(type = Nvram.class),
            @XmlElementRef(type = Kernel.class),
            @XmlElementRef(type = Initrd.class),
            @XmlElementRef(type = Cmdline.class),
            @XmlElementRef(type = Dtb.class),
            @XmlElementRef(type = Init.class),
            @XmlElementRef(type = Initarg.class),
            @XmlElementRef(type = BootDevice.class),
            @XmlElementRef(type = BootMenu.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The firmware attribute, or null. */
    public String getFirmware() {
        return attribute("firmware");
    }

    public void setFirmware(String firmware) {
        setAttribute("firmware", firmware);
    }

    public OsType getType() {
        return child(OsType.class);
    }

    public void setType(OsType value) {
        setChild(OsType.class, value);
    }

    /** {@code <firmware>}: the features asked of an auto-selected firmware, or null. */
    public OsFirmware getFirmwareFeatures() {
        return child(OsFirmware.class);
    }

    public Loader getLoader() {
        return child(Loader.class);
    }

    public void setLoader(Loader value) {
        setChild(Loader.class, value);
    }

    public Nvram getNvram() {
        return child(Nvram.class);
    }

    public void setNvram(Nvram value) {
        setChild(Nvram.class, value);
    }

    /** The text of <Kernel>, trimmed, or null when absent. */
    public String getKernel() {
        Kernel e = child(Kernel.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Kernel> (created where libvirt puts it); null removes it. */
    public void setKernel(String value) {
        if (value == null) { setChild(Kernel.class, null); return; }
        childOrCreate(Kernel.class, Kernel::new).setValue(value);
    }

    /** The text of <Initrd>, trimmed, or null when absent. */
    public String getInitrd() {
        Initrd e = child(Initrd.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Initrd> (created where libvirt puts it); null removes it. */
    public void setInitrd(String value) {
        if (value == null) { setChild(Initrd.class, null); return; }
        childOrCreate(Initrd.class, Initrd::new).setValue(value);
    }

    /** The text of <Cmdline>, trimmed, or null when absent. */
    public String getCmdline() {
        Cmdline e = child(Cmdline.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Cmdline> (created where libvirt puts it); null removes it. */
    public void setCmdline(String value) {
        if (value == null) { setChild(Cmdline.class, null); return; }
        childOrCreate(Cmdline.class, Cmdline::new).setValue(value);
    }

    /** The text of <Dtb>, trimmed, or null when absent. */
    public String getDtb() {
        Dtb e = child(Dtb.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Dtb> (created where libvirt puts it); null removes it. */
    public void setDtb(String value) {
        if (value == null) { setChild(Dtb.class, null); return; }
        childOrCreate(Dtb.class, Dtb::new).setValue(value);
    }

    /** The text of <Init>, trimmed, or null when absent. */
    public String getInit() {
        Init e = child(Init.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Init> (created where libvirt puts it); null removes it. */
    public void setInit(String value) {
        if (value == null) { setChild(Init.class, null); return; }
        childOrCreate(Init.class, Init::new).setValue(value);
    }

    /** The <Initarg> children in document order (a copy; use add/remove to change). */
    public List<Initarg> getInitargs() {
        return children(Initarg.class);
    }

    public void addInitarg(Initarg value) {
        addChild(Initarg.class, value);
    }

    public boolean removeInitarg(Initarg value) {
        return content.remove(value);
    }

    /** The <BootDevice> children in document order (a copy; use add/remove to change). */
    public List<BootDevice> getBootDevices() {
        return children(BootDevice.class);
    }

    public void addBootDevice(BootDevice value) {
        addChild(BootDevice.class, value);
    }

    public boolean removeBootDevice(BootDevice value) {
        return content.remove(value);
    }

    public BootMenu getBootMenu() {
        return child(BootMenu.class);
    }

    public void setBootMenu(BootMenu value) {
        setChild(BootMenu.class, value);
    }
}
