package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import org.jvirt.xml.model.GenericNode;

/** <model> */
@XmlRootElement(name = "model")
@XmlAccessorType(XmlAccessType.FIELD)
public class VideoModel extends GenericNode {

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The vram attribute, or null. */
    public String getVram() {
        return attribute("vram");
    }

    public void setVram(String vram) {
        setAttribute("vram", vram);
    }

    /** The vram64 attribute, or null. */
    public String getVram64() {
        return attribute("vram64");
    }

    public void setVram64(String vram64) {
        setAttribute("vram64", vram64);
    }

    /** The ram attribute, or null. */
    public String getRam() {
        return attribute("ram");
    }

    public void setRam(String ram) {
        setAttribute("ram", ram);
    }

    /** The vgamem attribute, or null. */
    public String getVgamem() {
        return attribute("vgamem");
    }

    public void setVgamem(String vgamem) {
        setAttribute("vgamem", vgamem);
    }

    /** The heads attribute, or null. */
    public String getHeads() {
        return attribute("heads");
    }

    public void setHeads(String heads) {
        setAttribute("heads", heads);
    }

    /** The primary attribute, or null. */
    public String getPrimary() {
        return attribute("primary");
    }

    public void setPrimary(String primary) {
        setAttribute("primary", primary);
    }

    /** The blob attribute, or null. */
    public String getBlob() {
        return attribute("blob");
    }

    public void setBlob(String blob) {
        setAttribute("blob", blob);
    }
}
