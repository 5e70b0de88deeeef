package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <os><loader>: firmware path. */
@XmlRootElement(name = "loader")
@XmlAccessorType(XmlAccessType.FIELD)
public class Loader extends TextNode {

    /** The readonly attribute, or null. */
    public String getReadonly() {
        return attribute("readonly");
    }

    public void setReadonly(String readonly) {
        setAttribute("readonly", readonly);
    }

    /** The secure attribute, or null. */
    public String getSecure() {
        return attribute("secure");
    }

    public void setSecure(String secure) {
        setAttribute("secure", secure);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The stateless attribute, or null. */
    public String getStateless() {
        return attribute("stateless");
    }

    public void setStateless(String stateless) {
        setAttribute("stateless", stateless);
    }

    /** The format attribute, or null. */
    public String getFormat() {
        return attribute("format");
    }

    public void setFormat(String format) {
        setAttribute("format", format);
    }
}
