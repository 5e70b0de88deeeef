package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <emulator>: the device model binary. */
@XmlRootElement(name = "emulator")
@XmlAccessorType(XmlAccessType.FIELD)
public class Emulator extends TextNode {
}
