package org.jvirt.xml.capabilities;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <guest><features>, kept as is. */
@XmlRootElement(name = "features")
@XmlAccessorType(XmlAccessType.FIELD)
public class GuestFeatures extends GenericNode {
}
