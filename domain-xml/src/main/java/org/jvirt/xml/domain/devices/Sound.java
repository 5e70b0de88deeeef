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

/** <sound>. */
@XmlRootElement(name = "sound")
@XmlAccessorType(XmlAccessType.FIELD)
public class Sound extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = SoundCodec.class),
            @XmlElementRef(type = Alias.class),
            @XmlElementRef(type = DeviceAddress.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The model attribute, or null. */
    public String getModel() {
        return attribute("model");
    }

    public void setModel(String model) {
        setAttribute("model", model);
    }

    /** The <SoundCodec> children in document order (a copy; use add/remove to change). */
    public List<SoundCodec> getCodecs() {
        return children(SoundCodec.class);
    }

    public void addCodec(SoundCodec value) {
        addChild(SoundCodec.class, value);
    }

    public boolean removeCodec(SoundCodec value) {
        return content.remove(value);
    }
}
