package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <arch> (text). */
@XmlRootElement(name = "arch")
@XmlAccessorType(XmlAccessType.FIELD)
public class HostArch extends TextNode {
}
