package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <disk><serial>. */
@XmlRootElement(name = "serial")
@XmlAccessorType(XmlAccessType.FIELD)
public class DiskSerial extends TextNode {
}
