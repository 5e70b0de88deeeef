package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;

/** <currentMemory>: an amount of memory with a unit (default KiB). */
@XmlRootElement(name = "currentMemory")
@XmlAccessorType(XmlAccessType.FIELD)
public class CurrentMemory extends ScaledMemory {
}
