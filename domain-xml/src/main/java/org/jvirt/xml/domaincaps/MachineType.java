package org.jvirt.xml.domaincaps;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <machine> (text). */
@XmlRootElement(name = "machine")
@XmlAccessorType(XmlAccessType.FIELD)
public class MachineType extends TextNode {
}
