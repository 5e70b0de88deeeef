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

/** <devices>: every device in document order; device kinds the model does not type are kept as DOM. */
@XmlRootElement(name = "devices")
@XmlAccessorType(XmlAccessType.FIELD)
public class Devices extends ElementNode {

    @XmlElementRefs({
            @XmlElementRef(type = Emulator.class),
            @XmlElementRef(type = Disk.class),
            @XmlElementRef(type = Controller.class),
            @XmlElementRef(type = Filesystem.class),
            @XmlElementRef(type = Interface.class),
            @XmlElementRef(type = Hostdev.class),
            @XmlElementRef(type = Serial.class),
            @XmlElementRef(type = Parallel.class),
            @XmlElementRef(type = Console.class),
            @XmlElementRef(type = Channel.class),
            @XmlElementRef(type = Input.class),
            @XmlElementRef(type = Tpm.class),
            @XmlElementRef(type = Graphics.class),
            @XmlElementRef(type = Sound.class),
            @XmlElementRef(type = Video.class),
            @XmlElementRef(type = Watchdog.class),
            @XmlElementRef(type = Memballoon.class),
            @XmlElementRef(type = Rng.class)
    })
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The text of <Emulator>, trimmed, or null when absent. */
    public String getEmulator() {
        Emulator e = child(Emulator.class);
        return e == null ? null : e.trimmed();
    }

    /** Sets the text of <Emulator> (created where libvirt puts it); null removes it. */
    public void setEmulator(String value) {
        if (value == null) { setChild(Emulator.class, null); return; }
        childOrCreate(Emulator.class, Emulator::new).setValue(value);
    }

    /** The <Disk> children in document order (a copy; use add/remove to change). */
    public List<Disk> getDisks() {
        return children(Disk.class);
    }

    public void addDisk(Disk value) {
        addChild(Disk.class, value);
    }

    public boolean removeDisk(Disk value) {
        return content.remove(value);
    }

    /** The <Controller> children in document order (a copy; use add/remove to change). */
    public List<Controller> getControllers() {
        return children(Controller.class);
    }

    public void addController(Controller value) {
        addChild(Controller.class, value);
    }

    public boolean removeController(Controller value) {
        return content.remove(value);
    }

    /** The <Filesystem> children in document order (a copy; use add/remove to change). */
    public List<Filesystem> getFilesystems() {
        return children(Filesystem.class);
    }

    public void addFilesystem(Filesystem value) {
        addChild(Filesystem.class, value);
    }

    public boolean removeFilesystem(Filesystem value) {
        return content.remove(value);
    }

    /** The <Interface> children in document order (a copy; use add/remove to change). */
    public List<Interface> getInterfaces() {
        return children(Interface.class);
    }

    public void addInterface(Interface value) {
        addChild(Interface.class, value);
    }

    public boolean removeInterface(Interface value) {
        return content.remove(value);
    }

    /** The <Hostdev> children in document order (a copy; use add/remove to change). */
    public List<Hostdev> getHostdevs() {
        return children(Hostdev.class);
    }

    public void addHostdev(Hostdev value) {
        addChild(Hostdev.class, value);
    }

    public boolean removeHostdev(Hostdev value) {
        return content.remove(value);
    }

    /** The <Serial> children in document order (a copy; use add/remove to change). */
    public List<Serial> getSerials() {
        return children(Serial.class);
    }

    public void addSerial(Serial value) {
        addChild(Serial.class, value);
    }

    public boolean removeSerial(Serial value) {
        return content.remove(value);
    }

    /** The <Parallel> children in document order (a copy; use add/remove to change). */
    public List<Parallel> getParallels() {
        return children(Parallel.class);
    }

    public void addParallel(Parallel value) {
        addChild(Parallel.class, value);
    }

    public boolean removeParallel(Parallel value) {
        return content.remove(value);
    }

    /** The <Console> children in document order (a copy; use add/remove to change). */
    public List<Console> getConsoles() {
        return children(Console.class);
    }

    public void addConsole(Console value) {
        addChild(Console.class, value);
    }

    public boolean removeConsole(Console value) {
        return content.remove(value);
    }

    /** The <Channel> children in document order (a copy; use add/remove to change). */
    public List<Channel> getChannels() {
        return children(Channel.class);
    }

    public void addChannel(Channel value) {
        addChild(Channel.class, value);
    }

    public boolean removeChannel(Channel value) {
        return content.remove(value);
    }

    /** The <Input> children in document order (a copy; use add/remove to change). */
    public List<Input> getInputs() {
        return children(Input.class);
    }

    public void addInput(Input value) {
        addChild(Input.class, value);
    }

    public boolean removeInput(Input value) {
        return content.remove(value);
    }

    /** The <Tpm> children in document order (a copy; use add/remove to change). */
    public List<Tpm> getTpms() {
        return children(Tpm.class);
    }

    public void addTpm(Tpm value) {
        addChild(Tpm.class, value);
    }

    public boolean removeTpm(Tpm value) {
        return content.remove(value);
    }

    /** The <Graphics> children in document order (a copy; use add/remove to change). */
    public List<Graphics> getGraphics() {
        return children(Graphics.class);
    }

    public void addGraphic(Graphics value) {
        addChild(Graphics.class, value);
    }

    public boolean removeGraphic(Graphics value) {
        return content.remove(value);
    }

    /** The <Sound> children in document order (a copy; use add/remove to change). */
    public List<Sound> getSounds() {
        return children(Sound.class);
    }

    public void addSound(Sound value) {
        addChild(Sound.class, value);
    }

    public boolean removeSound(Sound value) {
        return content.remove(value);
    }

    /** The <Video> children in document order (a copy; use add/remove to change). */
    public List<Video> getVideos() {
        return children(Video.class);
    }

    public void addVideo(Video value) {
        addChild(Video.class, value);
    }

    public boolean removeVideo(Video value) {
        return content.remove(value);
    }

    /** The <Watchdog> children in document order (a copy; use add/remove to change). */
    public List<Watchdog> getWatchdogs() {
        return children(Watchdog.class);
    }

    public void addWatchdog(Watchdog value) {
        addChild(Watchdog.class, value);
    }

    public boolean removeWatchdog(Watchdog value) {
        return content.remove(value);
    }

    public Memballoon getMemballoon() {
        return child(Memballoon.class);
    }

    public void setMemballoon(Memballoon value) {
        setChild(Memballoon.class, value);
    }

    /** The <Rng> children in document order (a copy; use add/remove to change). */
    public List<Rng> getRngs() {
        return children(Rng.class);
    }

    public void addRng(Rng value) {
        addChild(Rng.class, value);
    }

    public boolean removeRng(Rng value) {
        return content.remove(value);
    }
}
