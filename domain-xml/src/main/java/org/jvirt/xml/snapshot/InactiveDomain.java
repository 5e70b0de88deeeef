package org.jvirt.xml.snapshot;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <inactiveDomain>: the inactive definition saved with a running snapshot, kept as is. */
@XmlRootElement(name = "inactiveDomain")
@XmlAccessorType(XmlAccessType.FIELD)
public class InactiveDomain extends GenericNode {
}
