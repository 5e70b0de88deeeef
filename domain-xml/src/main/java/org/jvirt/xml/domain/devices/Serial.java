package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;

/** <serial>: a character device (pty, file, unix, tcp, null, stdio ...). */
@XmlRootElement(name = "serial")
@XmlAccessorType(XmlAccessType.FIELD)
public class Serial extends CharDevice {
}
