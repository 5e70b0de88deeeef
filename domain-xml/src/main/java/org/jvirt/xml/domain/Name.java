package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <name> (text). */
@XmlRootElement(name = "name")
@XmlAccessorType(XmlAccessType.FIELD)
public class Name extends TextNode {
}
