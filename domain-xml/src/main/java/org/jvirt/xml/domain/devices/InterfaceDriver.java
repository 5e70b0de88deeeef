package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <driver> */
@XmlRootElement(name = "driver")
@XmlAccessorType(XmlAccessType.FIELD)
public class InterfaceDriver extends GenericNode {

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The queues attribute, or null. */
    public String getQueues() {
        return attribute("queues");
    }

    public void setQueues(String queues) {
        setAttribute("queues", queues);
    }

    /** The txmode attribute, or null. */
    public String getTxmode() {
        return attribute("txmode");
    }

    public void setTxmode(String txmode) {
        setAttribute("txmode", txmode);
    }

    /** The ioeventfd attribute, or null. */
    public String getIoeventfd() {
        return attribute("ioeventfd");
    }

    public void setIoeventfd(String ioeventfd) {
        setAttribute("ioeventfd", ioeventfd);
    }

    /** The event_idx attribute, or null. */
    public String getEventIdx() {
        return attribute("event_idx");
    }

    public void setEventIdx(String eventIdx) {
        setAttribute("event_idx", eventIdx);
    }

    /** The rx_queue_size attribute, or null. */
    public String getRxQueueSize() {
        return attribute("rx_queue_size");
    }

    public void setRxQueueSize(String rxQueueSize) {
        setAttribute("rx_queue_size", rxQueueSize);
    }

    /** The tx_queue_size attribute, or null. */
    public String getTxQueueSize() {
        return attribute("tx_queue_size");
    }

    public void setTxQueueSize(String txQueueSize) {
        setAttribute("tx_queue_size", txQueueSize);
    }

    /** The iommu attribute, or null. */
    public String getIommu() {
        return attribute("iommu");
    }

    public void setIommu(String iommu) {
        setAttribute("iommu", iommu);
    }

    /** The ats attribute, or null. */
    public String getAts() {
        return attribute("ats");
    }

    public void setAts(String ats) {
        setAttribute("ats", ats);
    }

    /** The packed attribute, or null. */
    public String getPacked() {
        return attribute("packed");
    }

    public void setPacked(String packed) {
        setAttribute("packed", packed);
    }
}
