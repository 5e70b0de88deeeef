package org.jvirt.xml.domaincaps;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <path> (text). */
@XmlRootElement(name = "path")
@XmlAccessorType(XmlAccessType.FIELD)
public class EmulatorPath extends TextNode {
}
