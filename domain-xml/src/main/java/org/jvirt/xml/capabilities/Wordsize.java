package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <wordsize> (text). */
@XmlRootElement(name = "wordsize")
@XmlAccessorType(XmlAccessType.FIELD)
public class Wordsize extends TextNode {
}
