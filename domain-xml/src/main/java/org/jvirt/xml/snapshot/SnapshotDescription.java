package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <description> of a snapshot. */
@XmlRootElement(name = "description")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotDescription extends TextNode {
}
