package org.jvirt.xml.domaincaps;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <arch> (text). */
@XmlRootElement(name = "arch")
@XmlAccessorType(XmlAccessType.FIELD)
public class Arch extends TextNode {
}
