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

/** <capabilities>: host and guest capabilities. */
@XmlRootElement(name = "capabilities")
@XmlAccessorType(XmlAccessType.FIELD)
public class Capabilities extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = Host.class),
            @XmlElementRef(type = Guest.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    public Host getHost() {
        return child(Host.class);
    }

    public void setHost(Host value) {
        setChild(Host.class, value);
    }

    /** The <Guest> children in document order (a copy; use add/remove to change). */
    public List<Guest> getGuests() {
        return children(Guest.class);
    }

    public void addGuest(Guest value) {
        addChild(Guest.class, value);
    }

    public boolean removeGuest(Guest value) {
        return content.remove(value);
    }
}
