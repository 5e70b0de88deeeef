package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.TextNode;

/** <cpu><model>. */
@XmlRootElement(name = "model")
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuModel extends TextNode {

    /** The fallback attribute, or null. */
    public String getFallback() {
        return attribute("fallback");
    }

    public void setFallback(String fallback) {
        setAttribute("fallback", fallback);
    }

    /** The vendor_id attribute, or null. */
    public String getVendorId() {
        return attribute("vendor_id");
    }

    public void setVendorId(String vendorId) {
        setAttribute("vendor_id", vendorId);
    }
}
