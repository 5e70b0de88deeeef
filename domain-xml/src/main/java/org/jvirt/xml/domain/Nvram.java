package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <os><nvram>: per-domain firmware variables. */
@XmlRootElement(name = "nvram")
@XmlAccessorType(XmlAccessType.FIELD)
public class Nvram extends TextNode {

    /** The template attribute, or null. */
    public String getTemplate() {
        return attribute("template");
    }

    public void setTemplate(String template) {
        setAttribute("template", template);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The format attribute, or null. */
    public String getFormat() {
        return attribute("format");
    }

    public void setFormat(String format) {
        setAttribute("format", format);
    }
}
