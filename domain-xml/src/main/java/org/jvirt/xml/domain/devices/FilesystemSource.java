package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <source> */
@XmlRootElement(name = "source")
@XmlAccessorType(XmlAccessType.FIELD)
public class FilesystemSource extends GenericNode {

    /** The dir attribute, or null. */
    public String getDir() {
        return attribute("dir");
    }

    public void setDir(String dir) {
        setAttribute("dir", dir);
    }

    /** The file attribute, or null. */
    public String getFile() {
        return attribute("file");
    }

    public void setFile(String file) {
        setAttribute("file", file);
    }

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The dev attribute, or null. */
    public String getDev() {
        return attribute("dev");
    }

    public void setDev(String dev) {
        setAttribute("dev", dev);
    }

    /** The usage attribute, or null. */
    public String getUsage() {
        return attribute("usage");
    }

    public void setUsage(String usage) {
        setAttribute("usage", usage);
    }

    /** The units attribute, or null. */
    public String getUnits() {
        return attribute("units");
    }

    public void setUnits(String units) {
        setAttribute("units", units);
    }

    /** The socket attribute, or null. */
    public String getSocket() {
        return attribute("socket");
    }

    public void setSocket(String socket) {
        setAttribute("socket", socket);
    }
}
