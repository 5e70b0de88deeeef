package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;

/** <console>: a character device (pty, file, unix, tcp, null, stdio ...). */
@XmlRootElement(name = "console")
@XmlAccessorType(XmlAccessType.FIELD)
public class Console extends CharDevice {
}
