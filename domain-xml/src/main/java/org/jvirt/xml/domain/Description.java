package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <description> (text). */
@XmlRootElement(name = "description")
@XmlAccessorType(XmlAccessType.FIELD)
public class Description extends TextNode {
}
