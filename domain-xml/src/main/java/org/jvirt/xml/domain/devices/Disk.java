package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <disk>: a block device (file, block, network, volume, dir). */
@XmlRootElement(name = "disk")
@XmlAccessorType(XmlAccessType.FIELD)
public class Disk extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = DiskDriver.class),
            @XmlElementRef(type = DiskSource.class),
            @XmlElementRef(type = DiskTarget.class),
            @XmlElementRef(type = Readonly.class),
            @XmlElementRef(type = Shareable.class),
            @XmlElementRef(type = Transient.class),
            @XmlElementRef(type = DiskSerial.class),
            @XmlElementRef(type = BootOrder.class),
            @XmlElementRef(type = Alias.class),
            @XmlElementRef(type = DeviceAddress.class)
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

    /** The device attribute, or null. */
    public String getDevice() {
        return attribute("device");
    }

    public void setDevice(String device) {
        setAttribute("device", device);
    }

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }

    /** The rawio attribute, or null. */
    public String getRawio() {
        return attribute("rawio");
    }

    public void setRawio(String rawio) {
        setAttribute("rawio", rawio);
    }

    /** The sgio attribute, or null. */
    public String getSgio() {
        return attribute("sgio");
    }

    public void setSgio(String sgio) {
        setAttribute("sgio", sgio);
    }

    /** The snapshot attribute, or null. */
    public String getSnapshot() {
        return attribute("snapshot");
    }

    public void setSnapshot(String snapshot) {
        setAttribute("snapshot", snapshot);
    }

    public DiskDriver getDriver() {
        return child(DiskDriver.class);
    }

    public void setDriver(DiskDriver value) {
        setChild(DiskDriver.class, value);
    }

    public DiskSource getSource() {
        return child(DiskSource.class);
    }

    public void setSource(DiskSource value) {
        setChild(DiskSource.class, value);
    }

    public DiskTarget getTarget() {
        return child(DiskTarget.class);
    }

    public void setTarget(DiskTarget value) {
        setChild(DiskTarget.class, value);
    }

    public Readonly getReadonlyMarker() {
        return child(Readonly.class);
    }

    public void setReadonlyMarker(Readonly value) {
        setChild(Readonly.class, value);
    }

    public Shareable getShareableMarker() {
        return child(Shareable.class);
    }

    public void setShareableMarker(Shareable value) {
        setChild(Shareable.class, value);
    }

    public Transient getTransientMarker() {
        return child(Transient.class);
    }

    public void setTransientMarker(Transient value) {
        setChild(Transient.class, value);
    }

    /** The text of <DiskSerial>, trimmed, or null when absent. */
    public String getSerial() {
        DiskSerial e = child(DiskSerial.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <DiskSerial> (created where libvirt puts it); null removes it. */
    public void setSerial(String value) {
        if (value == null) { setChild(DiskSerial.class, null); return; }
        childOrCreate(DiskSerial.class, DiskSerial::new).setValue(value);
    }

    public BootOrder getBoot() {
        return child(BootOrder.class);
    }

    public void setBoot(BootOrder value) {
        setChild(BootOrder.class, value);
    }
}
