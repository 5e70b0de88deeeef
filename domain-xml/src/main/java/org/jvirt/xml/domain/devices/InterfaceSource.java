package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <interface><source>. */
@XmlRootElement(name = "source")
@XmlAccessorType(XmlAccessType.FIELD)
public class InterfaceSource extends GenericNode {

    /** The network attribute, or null. */
    public String getNetwork() {
        return attribute("network");
    }

    public void setNetwork(String network) {
        setAttribute("network", network);
    }

    /** The bridge attribute, or null. */
    public String getBridge() {
        return attribute("bridge");
    }

    public void setBridge(String bridge) {
        setAttribute("bridge", bridge);
    }

    /** The dev attribute, or null. */
    public String getDev() {
        return attribute("dev");
    }

    public void setDev(String dev) {
        setAttribute("dev", dev);
    }

    /** The mode attribute, or null. */
    public String getMode() {
        return attribute("mode");
    }

    public void setMode(String mode) {
        setAttribute("mode", mode);
    }

    /** The portgroup attribute, or null. */
    public String getPortgroup() {
        return attribute("portgroup");
    }

    public void setPortgroup(String portgroup) {
        setAttribute("portgroup", portgroup);
    }

    /** The portid attribute, or null. */
    public String getPortid() {
        return attribute("portid");
    }

    public void setPortid(String portid) {
        setAttribute("portid", portid);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The path attribute, or null. */
    public String getPath() {
        return attribute("path");
    }

    public void setPath(String path) {
        setAttribute("path", path);
    }

    /** The address attribute, or null. */
    public String getAddress() {
        return attribute("address");
    }

    public void setAddress(String address) {
        setAttribute("address", address);
    }

    /** The port attribute, or null. */
    public String getPort() {
        return attribute("port");
    }

    public void setPort(String port) {
        setAttribute("port", port);
    }
}
