package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <on_crash> (text). */
@XmlRootElement(name = "on_crash")
@XmlAccessorType(XmlAccessType.FIELD)
public class OnCrash extends TextNode {
}
