package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <cpu><numa>, kept as is. */
@XmlRootElement(name = "numa")
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuNuma extends GenericNode {
}
