package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <readonly/> marker. */
@XmlRootElement(name = "readonly")
@XmlAccessorType(XmlAccessType.FIELD)
public class Readonly extends GenericNode {
}
