package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <active>: 1 when the snapshot was taken of a running domain. */
@XmlRootElement(name = "active")
@XmlAccessorType(XmlAccessType.FIELD)
public class SnapshotActive extends TextNode {
}
