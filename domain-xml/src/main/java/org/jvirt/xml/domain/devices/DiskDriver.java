package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <disk><driver>: the format and I/O options. */
@XmlRootElement(name = "driver")
@XmlAccessorType(XmlAccessType.FIELD)
public class DiskDriver extends GenericNode {

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The cache attribute, or null. */
    public String getCache() {
        return attribute("cache");
    }

    public void setCache(String cache) {
        setAttribute("cache", cache);
    }

    /** The error_policy attribute, or null. */
    public String getErrorPolicy() {
        return attribute("error_policy");
    }

    public void setErrorPolicy(String errorPolicy) {
        setAttribute("error_policy", errorPolicy);
    }

    /** The rerror_policy attribute, or null. */
    public String getRerrorPolicy() {
        return attribute("rerror_policy");
    }

    public void setRerrorPolicy(String rerrorPolicy) {
        setAttribute("rerror_policy", rerrorPolicy);
    }

    /** The io attribute, or null. */
    public String getIo() {
        return attribute("io");
    }

    public void setIo(String io) {
        setAttribute("io", io);
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

    /** The copy_on_read attribute, or null. */
    public String getCopyOnRead() {
        return attribute("copy_on_read");
    }

    public void setCopyOnRead(String copyOnRead) {
        setAttribute("copy_on_read", copyOnRead);
    }

    /** The discard attribute, or null. */
    public String getDiscard() {
        return attribute("discard");
    }

    public void setDiscard(String discard) {
        setAttribute("discard", discard);
    }

    /** The detect_zeroes attribute, or null. */
    public String getDetectZeroes() {
        return attribute("detect_zeroes");
    }

    public void setDetectZeroes(String detectZeroes) {
        setAttribute("detect_zeroes", detectZeroes);
    }

    /** The queues attribute, or null. */
    public String getQueues() {
        return attribute("queues");
    }

    public void setQueues(String queues) {
        setAttribute("queues", queues);
    }

    /** The queue_size attribute, or null. */
    public String getQueueSize() {
        return attribute("queue_size");
    }

    public void setQueueSize(String queueSize) {
        setAttribute("queue_size", queueSize);
    }

    /** The iothread attribute, or null. */
    public String getIothread() {
        return attribute("iothread");
    }

    public void setIothread(String iothread) {
        setAttribute("iothread", iothread);
    }
}
