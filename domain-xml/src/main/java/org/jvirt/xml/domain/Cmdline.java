package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <os><cmdline> (text). */
@XmlRootElement(name = "cmdline")
@XmlAccessorType(XmlAccessType.FIELD)
public class Cmdline extends TextNode {
}
