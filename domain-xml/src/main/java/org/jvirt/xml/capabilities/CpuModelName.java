package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <model> (text). */
@XmlRootElement(name = "model")
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuModelName extends TextNode {
}
