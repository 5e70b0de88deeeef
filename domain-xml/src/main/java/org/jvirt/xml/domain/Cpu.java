package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <cpu>: guest CPU model and topology. */
@XmlRootElement(name = "cpu")
@XmlAccessorType(XmlAccessType.FIELD)
public class Cpu extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = CpuModel.class),
            @XmlElementRef(type = CpuVendor.class),
            @XmlElementRef(type = CpuTopology.class),
            @XmlElementRef(type = CpuFeature.class),
            @XmlElementRef(type = CpuNuma.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The mode attribute, or null. */
    public String getMode() {
        return attribute("mode");
    }

    public void setMode(String mode) {
        setAttribute("mode", mode);
    }

    /** The match attribute, or null. */
    public String getMatch() {
        return attribute("match");
    }

    public void setMatch(String match) {
        setAttribute("match", match);
    }

    /** The check attribute, or null. */
    public String getCheck() {
        return attribute("check");
    }

    public void setCheck(String check) {
        setAttribute("check", check);
    }

    /** The migratable attribute, or null. */
    public String getMigratable() {
        return attribute("migratable");
    }

    public void setMigratable(String migratable) {
        setAttribute("migratable", migratable);
    }

    public CpuModel getModel() {
        return child(CpuModel.class);
    }

    public void setModel(CpuModel value) {
        setChild(CpuModel.class, value);
    }

    public CpuVendor getVendor() {
        return child(CpuVendor.class);
    }

    public void setVendor(CpuVendor value) {
        setChild(CpuVendor.class, value);
    }

    public CpuTopology getTopology() {
        return child(CpuTopology.class);
    }

    public void setTopology(CpuTopology value) {
        setChild(CpuTopology.class, value);
    }

    /** The <CpuFeature> children in document order (a copy; use add/remove to change). */
    public List<CpuFeature> getFeatures() {
        return children(CpuFeature.class);
    }

    public void addFeature(CpuFeature value) {
        addChild(CpuFeature.class, value);
    }

    public boolean removeFeature(CpuFeature value) {
        return content.remove(value);
    }

    public CpuNuma getNuma() {
        return child(CpuNuma.class);
    }

    public void setNuma(CpuNuma value) {
        setChild(CpuNuma.class, value);
    }
}
