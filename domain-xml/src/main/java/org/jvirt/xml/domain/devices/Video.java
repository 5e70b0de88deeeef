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

/** <video>. */
@XmlRootElement(name = "video")
@XmlAccessorType(XmlAccessType.FIELD)
public class Video extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = VideoModel.class),
            @XmlElementRef(type = Alias.class),
            @XmlElementRef(type = DeviceAddress.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    public VideoModel getModel() {
        return child(VideoModel.class);
    }

    public void setModel(VideoModel value) {
        setChild(VideoModel.class, value);
    }
}
