package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <title> (text). */
@XmlRootElement(name = "title")
@XmlAccessorType(XmlAccessType.FIELD)
public class Title extends TextNode {
}
