package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <address>: where a device sits on its bus. */
@XmlRootElement(name = "address")
@XmlAccessorType(XmlAccessType.FIELD)
public class DeviceAddress extends GenericNode {

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The domain attribute, or null. */
    public String getDomain() {
        return attribute("domain");
    }

    public void setDomain(String domain) {
        setAttribute("domain", domain);
    }

    /** The bus attribute, or null. */
    public String getBus() {
        return attribute("bus");
    }

    public void setBus(String bus) {
        setAttribute("bus", bus);
    }

    /** The slot attribute, or null. */
    public String getSlot() {
        return attribute("slot");
    }

    public void setSlot(String slot) {
        setAttribute("slot", slot);
    }

    /** The function attribute, or null. */
    public String getFunction() {
        return attribute("function");
    }

    public void setFunction(String function) {
        setAttribute("function", function);
    }

    /** The multifunction attribute, or null. */
    public String getMultifunction() {
        return attribute("multifunction");
    }

    public void setMultifunction(String multifunction) {
        setAttribute("multifunction", multifunction);
    }

    /** The controller attribute, or null. */
    public String getController() {
        return attribute("controller");
    }

    public void setController(String controller) {
        setAttribute("controller", controller);
    }

    /** The target attribute, or null. */
    public String getTarget() {
        return attribute("target");
    }

    public void setTarget(String target) {
        setAttribute("target", target);
    }

    /** The unit attribute, or null. */
    public String getUnit() {
        return attribute("unit");
    }

    public void setUnit(String unit) {
        setAttribute("unit", unit);
    }

    /** The port attribute, or null. */
    public String getPort() {
        return attribute("port");
    }

    public void setPort(String port) {
        setAttribute("port", port);
    }

    /** The reg attribute, or null. */
    public String getReg() {
        return attribute("reg");
    }

    public void setReg(String reg) {
        setAttribute("reg", reg);
    }

    /** The cssid attribute, or null. */
    public String getCssid() {
        return attribute("cssid");
    }

    public void setCssid(String cssid) {
        setAttribute("cssid", cssid);
    }

    /** The ssid attribute, or null. */
    public String getSsid() {
        return attribute("ssid");
    }

    public void setSsid(String ssid) {
        setAttribute("ssid", ssid);
    }

    /** The devno attribute, or null. */
    public String getDevno() {
        return attribute("devno");
    }

    public void setDevno(String devno) {
        setAttribute("devno", devno);
    }

    /** The iobase attribute, or null. */
    public String getIobase() {
        return attribute("iobase");
    }

    public void setIobase(String iobase) {
        setAttribute("iobase", iobase);
    }

    /** The irq attribute, or null. */
    public String getIrq() {
        return attribute("irq");
    }

    public void setIrq(String irq) {
        setAttribute("irq", irq);
    }

    /** The base attribute, or null. */
    public String getBase() {
        return attribute("base");
    }

    public void setBase(String base) {
        setAttribute("base", base);
    }
}
