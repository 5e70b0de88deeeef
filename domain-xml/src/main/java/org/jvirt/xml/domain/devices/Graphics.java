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

/** <graphics>. */
@XmlRootElement(name = "graphics")
@XmlAccessorType(XmlAccessType.FIELD)
public class Graphics extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = GraphicsListen.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The type attribute, or null. */
    public String getType() {
        return attribute("type");
    }

    public void setType(String type) {
        setAttribute("type", type);
    }

    /** The port attribute, or null. */
    public String getPort() {
        return attribute("port");
    }

    public void setPort(String port) {
        setAttribute("port", port);
    }

    /** The autoport attribute, or null. */
    public String getAutoport() {
        return attribute("autoport");
    }

    public void setAutoport(String autoport) {
        setAttribute("autoport", autoport);
    }

    /** The websocket attribute, or null. */
    public String getWebsocket() {
        return attribute("websocket");
    }

    public void setWebsocket(String websocket) {
        setAttribute("websocket", websocket);
    }

    /** The listen attribute, or null. */
    public String getListen() {
        return attribute("listen");
    }

    public void setListen(String listen) {
        setAttribute("listen", listen);
    }

    /** The passwd attribute, or null. */
    public String getPasswd() {
        return attribute("passwd");
    }

    public void setPasswd(String passwd) {
        setAttribute("passwd", passwd);
    }

    /** The passwdValidTo attribute, or null. */
    public String getPasswdValidTo() {
        return attribute("passwdValidTo");
    }

    public void setPasswdValidTo(String passwdValidTo) {
        setAttribute("passwdValidTo", passwdValidTo);
    }

    /** The connected attribute, or null. */
    public String getConnected() {
        return attribute("connected");
    }

    public void setConnected(String connected) {
        setAttribute("connected", connected);
    }

    /** The keymap attribute, or null. */
    public String getKeymap() {
        return attribute("keymap");
    }

    public void setKeymap(String keymap) {
        setAttribute("keymap", keymap);
    }

    /** The socket attribute, or null. */
    public String getSocket() {
        return attribute("socket");
    }

    public void setSocket(String socket) {
        setAttribute("socket", socket);
    }

    /** The sharePolicy attribute, or null. */
    public String getSharePolicy() {
        return attribute("sharePolicy");
    }

    public void setSharePolicy(String sharePolicy) {
        setAttribute("sharePolicy", sharePolicy);
    }

    /** The display attribute, or null. */
    public String getDisplay() {
        return attribute("display");
    }

    public void setDisplay(String display) {
        setAttribute("display", display);
    }

    /** The xauth attribute, or null. */
    public String getXauth() {
        return attribute("xauth");
    }

    public void setXauth(String xauth) {
        setAttribute("xauth", xauth);
    }

    /** The fullscreen attribute, or null. */
    public String getFullscreen() {
        return attribute("fullscreen");
    }

    public void setFullscreen(String fullscreen) {
        setAttribute("fullscreen", fullscreen);
    }

    /** The tlsPort attribute, or null. */
    public String getTlsPort() {
        return attribute("tlsPort");
    }

    public void setTlsPort(String tlsPort) {
        setAttribute("tlsPort", tlsPort);
    }

    /** The defaultMode attribute, or null. */
    public String getDefaultMode() {
        return attribute("defaultMode");
    }

    public void setDefaultMode(String defaultMode) {
        setAttribute("defaultMode", defaultMode);
    }

    /** The <GraphicsListen> children in document order (a copy; use add/remove to change). */
    public List<GraphicsListen> getListens() {
        return children(GraphicsListen.class);
    }

    public void addListen(GraphicsListen value) {
        addChild(GraphicsListen.class, value);
    }

    public boolean removeListen(GraphicsListen value) {
        return content.remove(value);
    }
}
