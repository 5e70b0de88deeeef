package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <uuid> (text). */
@XmlRootElement(name = "uuid")
@XmlAccessorType(XmlAccessType.FIELD)
public class CapsUuid extends TextNode {
}
