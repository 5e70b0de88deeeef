package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <features><pae/>. */
@XmlRootElement(name = "pae")
@XmlAccessorType(XmlAccessType.FIELD)
public class Pae extends GenericNode {
}
