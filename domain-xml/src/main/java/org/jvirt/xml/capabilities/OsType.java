package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <os_type> (text). */
@XmlRootElement(name = "os_type")
@XmlAccessorType(XmlAccessType.FIELD)
public class OsType extends TextNode {
}
