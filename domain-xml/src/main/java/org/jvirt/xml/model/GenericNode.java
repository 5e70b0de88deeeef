package org.jvirt.xml.model;

import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlMixed;
import jakarta.xml.bind.annotation.XmlTransient;

import java.util.ArrayList;
import java.util.List;

/**
 * An element the model types by its attributes only (address, mac, target ...); whatever it
 * contains is kept as is (text and DOM elements, in order).
 */
@XmlTransient
public abstract class GenericNode extends ElementNode {

    @XmlMixed
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }
}
