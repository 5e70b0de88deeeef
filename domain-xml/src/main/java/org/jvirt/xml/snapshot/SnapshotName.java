package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <name> of a snapshot. */
@XmlRootElement(name = "name")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotName extends TextNode {
}
