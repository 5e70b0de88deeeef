package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <features><acpi/>. */
@XmlRootElement(name = "acpi")
@XmlAccessorType(XmlAccessType.FIELD)
public class Acpi extends GenericNode {
}
