package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;

/** <parallel>: a character device (pty, file, unix, tcp, null, stdio ...). */
@XmlRootElement(name = "parallel")
@XmlAccessorType(XmlAccessType.FIELD)
public class Parallel extends CharDevice {
}
