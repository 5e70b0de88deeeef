package org.jvirt.xml.domain.devices;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.ElementNode;

/** <disk><source>. */
@XmlRootElement(name = "source")
@XmlAccessorType(XmlAccessType.FIELD)
public class DiskSource extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = DiskHost.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The file attribute, or null. */
    public String getFile() {
        return attribute("file");
    }

    public void setFile(String file) {
        setAttribute("file", file);
    }

    /** The dev attribute, or null. */
    public String getDev() {
        return attribute("dev");
    }

    public void setDev(String dev) {
        setAttribute("dev", dev);
    }

    /** The dir attribute, or null. */
    public String getDir() {
        return attribute("dir");
    }

    public void setDir(String dir) {
        setAttribute("dir", dir);
    }

    /** The protocol attribute, or null. */
    public String getProtocol() {
        return attribute("protocol");
    }

    public void setProtocol(String protocol) {
        setAttribute("protocol", protocol);
    }

    /** The name attribute, or null. */
    public String getName() {
        return attribute("name");
    }

    public void setName(String name) {
        setAttribute("name", name);
    }

    /** The pool attribute, or null. */
    public String getPool() {
        return attribute("pool");
    }

    public void setPool(String pool) {
        setAttribute("pool", pool);
    }

    /** The volume attribute, or null. */
    public String getVolume() {
        return attribute("volume");
    }

    public void setVolume(String volume) {
        setAttribute("volume", volume);
    }

    /** The mode attribute, or null. */
    public String getMode() {
        return attribute("mode");
    }

    public void setMode(String mode) {
        setAttribute("mode", mode);
    }

    /** The startupPolicy attribute, or null. */
    public String getStartupPolicy() {
        return attribute("startupPolicy");
    }

    public void setStartupPolicy(String startupPolicy) {
        setAttribute("startupPolicy", startupPolicy);
    }

    /** The index attribute, or null. */
    public String getIndex() {
        return attribute("index");
    }

    public void setIndex(String index) {
        setAttribute("index", index);
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The tls attribute, or null. */
    public String getTls() {
        return attribute("tls");
    }

    public void setTls(String tls) {
        setAttribute("tls", tls);
    }

    /** The query attribute, or null. */
    public String getQuery() {
        return attribute("query");
    }

    public void setQuery(String query) {
        setAttribute("query", query);
    }

    /** The <DiskHost> children in document order (a copy; use add/remove to change). */
    public List<DiskHost> getHosts() {
        return children(DiskHost.class);
    }

    public void addHost(DiskHost value) {
        addChild(DiskHost.class, value);
    }

    public boolean removeHost(DiskHost value) {
        return content.remove(value);
    }
}
