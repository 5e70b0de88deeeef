package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <state> of a snapshot. */
@XmlRootElement(name = "state")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotState extends TextNode {
}
