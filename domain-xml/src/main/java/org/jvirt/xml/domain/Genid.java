package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <genid> (text). */
@XmlRootElement(name = "genid")
@XmlAccessorType(XmlAccessType.FIELD)
public class Genid extends TextNode {
}
