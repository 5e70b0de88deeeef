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

/** <memballoon>. */
@XmlRootElement(name = "memballoon")
@XmlAccessorType(XmlAccessType.FIELD)
public class Memballoon extends ElementNode implements AddressedDevice {

    @XmlElementRefs({
            @XmlElementRef(type = BalloonStats.class),
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

    /** The autodeflate attribute, or null. */
    public String getAutodeflate() {
        return attribute("autodeflate");
    }

    public void setAutodeflate(String autodeflate) {
        setAttribute("autodeflate", autodeflate);
    }

    /** The freePageReporting attribute, or null. */
    public String getFreePageReporting() {
        return attribute("freePageReporting");
    }

    public void setFreePageReporting(String freePageReporting) {
        setAttribute("freePageReporting", freePageReporting);
    }

    public BalloonStats getStats() {
        return child(BalloonStats.class);
    }

    public void setStats(BalloonStats value) {
        setChild(BalloonStats.class, value);
    }
}
