package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <cpu><topology>. */
@XmlRootElement(name = "topology")
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuTopology extends GenericNode {

    /** The sockets attribute, or null. */
    public String getSockets() {
        return attribute("sockets");
    }

    public void setSockets(String sockets) {
        setAttribute("sockets", sockets);
    }

    /** The dies attribute, or null. */
    public String getDies() {
        return attribute("dies");
    }

    public void setDies(String dies) {
        setAttribute("dies", dies);
    }

    /** The clusters attribute, or null. */
    public String getClusters() {
        return attribute("clusters");
    }

    public void setClusters(String clusters) {
        setAttribute("clusters", clusters);
    }

    /** The cores attribute, or null. */
    public String getCores() {
        return attribute("cores");
    }

    public void setCores(String cores) {
        setAttribute("cores", cores);
    }

    /** The threads attribute, or null. */
    public String getThreads() {
        return attribute("threads");
    }

    public void setThreads(String threads) {
        setAttribute("threads", threads);
    }
}
