package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <on_reboot> (text). */
@XmlRootElement(name = "on_reboot")
@XmlAccessorType(XmlAccessType.FIELD)
public class OnReboot extends TextNode {
}
