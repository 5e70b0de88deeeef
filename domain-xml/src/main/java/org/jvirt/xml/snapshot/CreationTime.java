package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <creationTime> of a snapshot. */
@XmlRootElement(name = "creationTime")
@XmlAccessorType(XmlAccessType.FIELD)
public class CreationTime extends TextNode {
}
