package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** source of a character device. */
@XmlRootElement(name = "source")
@XmlAccessorType(XmlAccessType.FIELD)
public class CharSource extends GenericNode {

    /** The mode attribute, or null. */
    public String getMode() {
        return attribute("mode");
    }

    public void setMode(String mode) {
        setAttribute("mode", mode);
    }

    /** The path attribute, or null. */
    public String getPath() {
        return attribute("path");
    }

    public void setPath(String path) {
        setAttribute("path", path);
    }

    /** The host attribute, or null. */
    public String getHost() {
        return attribute("host");
    }

    public void setHost(String host) {
        setAttribute("host", host);
    }

    /** The service attribute, or null. */
    public String getService() {
        return attribute("service");
    }

    public void setService(String service) {
        setAttribute("service", service);
    }

    /** The append attribute, or null. */
    public String getAppend() {
        return attribute("append");
    }

    public void setAppend(String append) {
        setAttribute("append", append);
    }

    /** The channel attribute, or null. */
    public String getChannel() {
        return attribute("channel");
    }

    public void setChannel(String channel) {
        setAttribute("channel", channel);
    }

    /** The master attribute, or null. */
    public String getMaster() {
        return attribute("master");
    }

    public void setMaster(String master) {
        setAttribute("master", master);
    }

    /** The slave attribute, or null. */
    public String getSlave() {
        return attribute("slave");
    }

    public void setSlave(String slave) {
        setAttribute("slave", slave);
    }

    /** The tls attribute, or null. */
    public String getTls() {
        return attribute("tls");
    }

    public void setTls(String tls) {
        setAttribute("tls", tls);
    }
}
