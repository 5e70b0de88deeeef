package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/**
 * A character device: {@code <serial>}, {@code <console>}, {@code <channel>} or {@code <parallel>}
 * (pty, file, unix, tcp, udp, null, stdio ...). They share one content model in libvirt.
 */
@XmlTransient
public abstract class CharDevice extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = CharSource.class),
            @XmlElementRef(type = CharProtocol.class),
            @XmlElementRef(type = CharLog.class),
            @XmlElementRef(type = CharTarget.class),
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

    /** The tty attribute, or null. */
    public String getTty() {
        return attribute("tty");
    }

    public void setTty(String tty) {
        setAttribute("tty", tty);
    }

    /** The <CharSource> children in document order (a copy; use add/remove to change). */
    public List<CharSource> getSources() {
        return children(CharSource.class);
    }

    public void addSource(CharSource value) {
        addChild(CharSource.class, value);
    }

    public boolean removeSource(CharSource value) {
        return content.remove(value);
    }

    public CharTarget getTarget() {
        return child(CharTarget.class);
    }

    public void setTarget(CharTarget value) {
        setChild(CharTarget.class, value);
    }

    public CharProtocol getProtocol() {
        return child(CharProtocol.class);
    }

    public void setProtocol(CharProtocol value) {
        setChild(CharProtocol.class, value);
    }

    public CharLog getLog() {
        return child(CharLog.class);
    }

    public void setLog(CharLog value) {
        setChild(CharLog.class, value);
    }
}
