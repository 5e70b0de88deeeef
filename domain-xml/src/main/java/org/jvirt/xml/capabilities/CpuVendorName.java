package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <vendor> (text). */
@XmlRootElement(name = "vendor")
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuVendorName extends TextNode {
}
