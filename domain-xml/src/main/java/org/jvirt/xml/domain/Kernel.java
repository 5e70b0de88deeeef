package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <os><kernel> (text). */
@XmlRootElement(name = "kernel")
@XmlAccessorType(XmlAccessType.FIELD)
public class Kernel extends TextNode {
}
