package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <shareable/> marker. */
@XmlRootElement(name = "shareable")
@XmlAccessorType(XmlAccessType.FIELD)
public class Shareable extends GenericNode {
}
