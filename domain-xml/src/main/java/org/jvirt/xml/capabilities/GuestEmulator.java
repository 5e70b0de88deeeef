package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <emulator> (text). */
@XmlRootElement(name = "emulator")
@XmlAccessorType(XmlAccessType.FIELD)
public class GuestEmulator extends TextNode {
}
