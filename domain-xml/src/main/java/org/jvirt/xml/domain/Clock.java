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

/** <clock>. */
@XmlRootElement(name = "clock")
@XmlAccessorType(XmlAccessType.FIELD)
public class Clock extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = Timer.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The offset attribute, or null. */
    public String getOffset() {
        return attribute("offset");
    }

    public void setOffset(String offset) {
        setAttribute("offset", offset);
    }

    /** The timezone attribute, or null. */
    public String getTimezone() {
        return attribute("timezone");
    }

    public void setTimezone(String timezone) {
        setAttribute("timezone", timezone);
    }

    /** The adjustment attribute, or null. */
    public String getAdjustment() {
        return attribute("adjustment");
    }

    public void setAdjustment(String adjustment) {
        setAttribute("adjustment", adjustment);
    }

    /** The basis attribute, or null. */
    public String getBasis() {
        return attribute("basis");
    }

    public void setBasis(String basis) {
        setAttribute("basis", basis);
    }

    /** The start attribute, or null. */
    public String getStart() {
        return attribute("start");
    }

    public void setStart(String start) {
        setAttribute("start", start);
    }

    /** The <Timer> children in document order (a copy; use add/remove to change). */
    public List<Timer> getTimers() {
        return children(Timer.class);
    }

    public void addTimer(Timer value) {
        addChild(Timer.class, value);
    }

    public boolean removeTimer(Timer value) {
        return content.remove(value);
    }
}
