package org.jvirt.xml.model;

import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlMixed;
import jakarta.xml.bind.annotation.XmlTransient;

import java.util.ArrayList;
import java.util.List;

/**
 * An element whose content is text (name, uuid, kernel, on_poweroff ...). The content is kept
 * mixed, so that a stray child element is not lost either; {@link #value()} joins the text.
 */
@XmlTransient
public abstract class TextNode extends ElementNode {

    @XmlMixed
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The text content (all text pieces joined), or null when there is none. */
    public String value() {
        StringBuilder sb = null;
        for (Object o : content) {
            if (o instanceof String s) {
                if (sb == null) sb = new StringBuilder();
                sb.append(s);
            }
        }
        return sb == null ? null : sb.toString();
    }

    /** Replaces the text content, keeping any child elements. */
    public void setValue(String value) {
        content.removeIf(o -> o instanceof String);
        if (value != null) content.add(0, value);
    }

    /** The text without surrounding whitespace, or null. */
    public String trimmed() {
        String v = value();
        return v == null ? null : v.trim();
    }

    /** Sets the text and returns this (for building in code). */
    @SuppressWarnings("unchecked")
    public <T extends TextNode> T withValue(String value) {
        setValue(value);
        return (T) this;
    }
}
