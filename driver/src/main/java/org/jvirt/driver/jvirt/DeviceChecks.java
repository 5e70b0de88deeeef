package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.UnsupportedConfig.attr;
import static org.jvirt.driver.jvirt.UnsupportedConfig.nameOf;
import static org.jvirt.driver.jvirt.UnsupportedConfig.quoted;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jvirt.driver.jvirt.UnsupportedConfig.Findings;
import org.jvirt.xml.domain.devices.CharDevice;
import org.jvirt.xml.domain.devices.CharSource;
import org.jvirt.xml.domain.devices.CharTarget;
import org.jvirt.xml.domain.devices.Controller;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.DiskDriver;
import org.jvirt.xml.domain.devices.DiskTarget;
import org.jvirt.xml.domain.devices.Filesystem;
import org.jvirt.xml.domain.devices.Input;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.domain.devices.Memballoon;
import org.jvirt.xml.domain.devices.Rng;
import org.jvirt.xml.domain.devices.Serial;
import org.jvirt.xml.domain.devices.Tpm;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.xml.domain.devices.Video;
import org.w3c.dom.Element;

/**
 * The devices against what jvirt-vmm has: virtio-blk disks on raw or qcow2 files or block devices,
 * IDE disks and cdroms on the PIIX3 IDE (controller 0), SATA disks and cdroms on the AHCI
 * controller 0 (ports 0-5), virtio-net interfaces on taps (NicDevices), one virtio-rng (RngDevices), a VGA, COM1
 * (a 16550A at port 0 behind a pty, file or unix socket, which a console of target 'serial'
 * port 0 shares), the i8042 with its keyboard, USB and virtio inputs on a qemu-xhci (InputDevices), the PCI root
 * bus and the q35's PCIe root ports.
 * Every other device is refused,
 * except the few on the omitted list (driver/README.md): a memory balloon, controllers nothing
 * provided sits on, libvirt's implicit PS/2 mouse and a 'none' audio backend.
 */
final class DeviceChecks {

    /** The virtio-serial port name of QEMU's guest agent, which virt-install adds to every domain. */
    private static final String GUEST_AGENT = "org.qemu.guest_agent.0";
    /** Controllers jvirt-vmm leaves out: every device that would sit on them is refused itself. */
    private static final Set<String> BUS_CONTROLLERS = Set.of("usb", "ide", "sata", "scsi", "virtio-serial", "fdc", "ccid");
    /** Devices a disk's target name implies when it has no bus, as libvirt reads them. */
    private static final Map<String, String> BUS_BY_PREFIX = Map.of("hd", "ide", "sd", "scsi", "vd", "virtio",
            "xvd", "xen", "ubd", "uml", "fd", "fdc");
    private static final Set<String> DISK_CHILDREN = Set.of("driver", "source", "target", "readonly", "address", "alias", "boot");

    private DeviceChecks() { }

    /** q35: the machine is a q35 (PCIe root, the ICH9's AHCI built in, no IDE). */
    static void check(Devices devices, boolean q35, Findings f) {
        if (devices == null) return;
        boolean ideDrives = devices.getDisks().stream().anyMatch(d -> "ide".equals(busOf(d)));
        boolean sataDrives = q35 || devices.getDisks().stream().anyMatch(d -> "sata".equals(busOf(d)));
        controllers(devices.getControllers(), ideDrives && !q35, sataDrives, q35, f);
        boolean com1Taken = false;
        int rngs = 0, videos = 0, vncs = 0;
        for (Object dev : devices.children(Object.class)) {
            switch (nameOf(dev)) {
                case "emulator", "controller" -> { } // jvirt-vmm runs instead of the emulator; controllers above
                case "disk" -> disk((Disk) dev, q35, f);
                case "interface" -> NicDevices.check((Interface) dev, f);
                case "serial" -> { // the first serial is COM1 (VmmCommand serves it), provided or not
                    serial((Serial) dev, !com1Taken, f);
                    com1Taken = true;
                }
                case "console" -> {
                    boolean sharesSerial = !devices.getSerials().isEmpty();
                    console((CharDevice) dev, sharesSerial, !com1Taken || sharesSerial, f);
                    if (!sharesSerial) com1Taken = true;
                }
                case "input" -> InputDevices.check((Input) dev, devices, f);
                case "rng" -> RngDevices.check((Rng) dev, rngs++, f);
                case "video" -> video((Video) dev, videos++, q35, f);
                case "graphics" -> graphics((org.jvirt.xml.domain.devices.Graphics) dev, "vnc".equals(attr(dev, "type")) ? vncs++ : 0, f);
                case "memballoon" -> BalloonDevices.check((Memballoon) dev, f);
                case "audio" -> {
                    String type = attr(dev, "type");
                    String what = "audio" + quoted("type", type) + (attr(dev, "id") == null ? "" : " (id " + attr(dev, "id") + ")");
                    if ("none".equals(type)) f.omit(what, "a host audio backend that plays nothing, for sound devices jvirt-vmm refuses");
                    else f.refuse(what);
                }
                case "channel" -> {
                    CharDevice c = (CharDevice) dev;
                    CharTarget t = c.getTarget();
                    String target = t == null ? "" : " (target " + t.getType() + (t.getName() == null ? "" : " '" + t.getName() + "'") + ")";
                    if (t != null && "virtio".equals(t.getType()) && GUEST_AGENT.equals(t.getName())) {
                        f.omit("channel type='" + c.getType() + "'" + target, "no guest agent channel: the guest runs as without"
                                + " an agent, and agent commands fail as libvirt's do when the agent is not configured");
                    } else {
                        f.refuse("channel type='" + c.getType() + "'" + target);
                    }
                }
                case "parallel" -> {
                    CharDevice p = (CharDevice) dev;
                    f.refuse("parallel type='" + p.getType() + "' (port " + port(p.getTarget()) + ")");
                }
                default -> f.refuse(describe(dev));
            }
        }
    }

    /**
     * A video device: none, or one of the models jvirt-vmm has, as QEMU gives them for libvirt: 'vga'
     * (-vga std), 'bochs' (bochs-display) and 'virtio' (virtio-vga, the VGA with
     * virtio-gpu 2D that libvirt runs for a primary virtio video),
     * with libvirt's default VRAM (16384 KiB for vga and bochs, none for virtio), one head, at the
     * primary video's address (00:02.0 on the pc, 00:01.0 on the q35). Other models, a second
     * video, other sizes and 3D acceleration are refused.
     */
    static void video(Video v, int index, boolean q35, Findings f) {
        var m = v.getModel();
        String model = m == null ? null : m.getType();
        if ("none".equals(model)) return;
        String what = "video" + quoted("model", model);
        if (vgaOf(model) == null) {
            f.refuse(what);
            return;
        }
        List<String> why = new ArrayList<>();
        if (index > 0) why.add("a second video device");
        if ("virtio".equals(model)) {
            if (m.getVram() != null) why.add("vram " + m.getVram() + " KiB (virtio-vga's is fixed)");
        } else if (m.getVram() != null && !"16384".equals(m.getVram())) {
            why.add("vram " + m.getVram() + " KiB (jvirt's " + model + " has 16384)");
        }
        if (m.getHeads() != null && !"1".equals(m.getHeads())) why.add("heads " + m.getHeads());
        for (Object child : m.children(Object.class)) why.add("<" + nameOf(child) + ">"); // acceleration, resolution
        var a = v.getAddress();
        if (a != null && "pci".equals(a.getType())) {
            long bus = number(a.getBus()), slot = number(a.getSlot()), fn = number(a.getFunction());
            if (bus != 0 || slot != (q35 ? 1 : 2) || fn != 0) why.add("PCI address other than " + (q35 ? "00:01.0" : "00:02.0"));
        }
        if (!why.isEmpty()) f.refuse(what + " (" + String.join(", ", why) + ")");
    }

    /** jvirt-vmm's --vga for a libvirt video model, or null when it has none. */
    private static LaunchSpec.Vga vgaOf(String model) {
        if (model == null) return null;
        return switch (model) {
            case "vga" -> LaunchSpec.Vga.STD;
            case "bochs" -> LaunchSpec.Vga.BOCHS;
            case "virtio" -> LaunchSpec.Vga.VIRTIO_VGA; // libvirt's primary virtio video on QEMU 7.2 (jvirt has one video: the primary)
            default -> null;
        };
    }

    private static long number(String s) {
        if (s == null) return 0;
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The display adapter jvirt-vmm gives the domain's first video (--vga; NONE without one). */
    static LaunchSpec.Vga display(Devices devices) {
        if (devices == null || devices.getVideos().isEmpty()) return LaunchSpec.Vga.NONE;
        var m = devices.getVideos().get(0).getModel();
        LaunchSpec.Vga vga = m == null ? null : vgaOf(m.getType());
        return vga == null ? LaunchSpec.Vga.NONE : vga;
    }

    /** graphics, sound, hostdev, watchdog, tpm, filesystem and any device the model does not type. */
    private static String describe(Object dev) {
        String n = nameOf(dev);
        String id = quoted("type", attr(dev, "type")) + quoted("model", attr(dev, "model"));
        String detail = switch (n) {
            case "watchdog" -> attr(dev, "action") == null ? null : "action " + attr(dev, "action");
            case "hostdev" -> attr(dev, "mode") == null ? null : "mode " + attr(dev, "mode");
            case "filesystem" -> {
                var t = ((Filesystem) dev).getTarget();
                yield t == null || t.attribute("dir") == null ? null : "target '" + t.attribute("dir") + "'";
            }
            case "tpm" -> {
                var b = ((Tpm) dev).getBackend();
                yield b == null ? null : "backend " + b.attribute("type");
            }
            default -> null;
        };
        return n + id + (detail == null ? "" : " (" + detail + ")");
    }

    private static void disk(Disk disk, boolean q35, Findings f) {
        List<String> why = new ArrayList<>();
        String device = disk.getDevice() == null ? "disk" : disk.getDevice();
        String type = disk.getType() == null ? "file" : disk.getType();
        if (!type.equals("file") && !type.equals("block")) why.add("type " + type);
        DiskTarget target = disk.getTarget();
        String dev = target == null ? null : target.getDev();
        String bus = busOf(disk);
        boolean ide = "ide".equals(bus), sata = "sata".equals(bus);
        // a cdrom is an ATAPI drive on the PIIX3 IDE or the AHCI; hard disks are virtio-blk, IDE or SATA
        if (device.equals("cdrom") && !ide && !sata) why.add("device cdrom on bus " + bus);
        else if (!device.equals("disk") && !device.equals("cdrom")) why.add("device " + device);
        if (!"virtio".equals(bus) && !ide && !sata && !device.equals("cdrom")) why.add("bus " + bus);
        if (ide && q35) why.add("bus ide (the q35 has no IDE controller)");
        else if (ide && IdePosition.of(disk) < 0) why.add("IDE address " + IdePosition.describe(disk.getAddress()) + " (one controller, buses 0-1, units 0-1)");
        if (sata && IdePosition.sataPort(disk) < 0) {
            why.add("SATA address " + IdePosition.describe(disk.getAddress()) + " (one controller, bus 0, units 0-" + (IdePosition.SATA_PORTS - 1) + ")");
        }
        DiskDriver driver = disk.getDriver();
        if (driver != null) {
            // jvirt-vmm opens raw and qcow2 images (qcow2 with the backing chain its header names)
            if (driver.getType() != null && !driver.getType().equals("raw") && !driver.getType().equals("qcow2")) why.add("format " + driver.getType());
            String disk0 = "disk" + (dev == null ? "" : " '" + dev + "'");
            driver.attributes().forEach((q, v) -> {
                String a = q.getLocalPart();
                switch (a + "=" + v) {
                    case "cache=writeback", "error_policy=report", "rerror_policy=report" -> { } // what the VMM does
                    case "cache=none", "cache=unsafe" -> f.omit(disk0 + " driver cache='" + v + "'", "the VMM writes through"
                            + " the host page cache and honours the guest's flushes: the guest sees the same disk, as safe");
                    default -> {
                        boolean ata = "ide".equals(bus) || "sata".equals(bus);
                        if (a.equals("discard") && v.equals("ignore") && ata) {
                            // jvirt's ATA has no TRIM: discards are ignored, what discard='ignore' asks
                        } else if (a.equals("discard") && v.equals("unmap") && ata) {
                            f.omit(disk0 + " driver discard='unmap'", "jvirt's IDE and SATA disks offer no TRIM yet: the guest sends"
                                    + " no discards and the image keeps the space it has; nothing is lost");
                        } else if (a.equals("io") || a.equals("detect_zeroes")) {
                            f.omit(disk0 + " driver " + a + "='" + v + "'", "how the host does its I/O: the guest sees no difference");
                        } else if (!a.equals("name") && !a.equals("type")) {
                            why.add("driver " + a + "='" + v + "'");
                        }
                    }
                }
            });
        }
        boolean hasSource = disk.getSource() != null && (disk.getSource().getFile() != null || disk.getSource().getDev() != null);
        if (!hasSource && device.equals("disk")) why.add("no source file or device");
        for (String a : new String[] {"model", "rawio", "sgio", "snapshot"}) {
            if (disk.attribute(a) != null) why.add(a + "='" + disk.attribute(a) + "'");
        }
        for (Object child : disk.children(Object.class)) {
            String n = nameOf(child);
            if (DISK_CHILDREN.contains(n) || n.equals("serial")) continue;
            // libvirt writes an empty <backingStore/> for an image known to have none
            if (n.equals("backingStore") && child instanceof Element e && !e.hasChildNodes() && !e.hasAttributes()) continue;
            why.add("<" + n + ">");
        }
        if (!why.isEmpty()) f.refuse("disk" + (dev == null ? "" : " '" + dev + "'") + " (" + String.join(", ", why) + ")");
    }

    /** The disk's bus: its target's, else the one its target name implies, as libvirt reads it. */
    static String busOf(Disk disk) {
        DiskTarget target = disk.getTarget();
        String bus = target == null ? null : target.getBus();
        String dev = target == null ? null : target.getDev();
        if (bus == null && dev != null) {
            for (Map.Entry<String, String> e : BUS_BY_PREFIX.entrySet()) if (dev.startsWith(e.getKey())) bus = e.getValue();
        }
        return bus;
    }

    /** Provides COM1 when it can (first=true: nothing took it yet); otherwise refuses the port. */
    private static void serial(Serial s, boolean first, Findings f) {
        List<String> why = new ArrayList<>();
        CharTarget t = s.getTarget();
        String port = port(t);
        if (!port.equals("0")) why.add("jvirt-vmm has COM1 only");
        else if (!first) why.add("COM1 is taken");
        if (t != null && t.getType() != null && !t.getType().equals("isa-serial")) why.add("target type " + t.getType());
        charBackend(s, why);
        if (!why.isEmpty()) f.refuse("serial type='" + type(s) + "' (port " + port + ", " + String.join(", ", why) + ")");
    }

    /** A console of target 'serial' port 0 is COM1: the first serial's (shared) or, with no serial, its own. */
    private static void console(CharDevice c, boolean sharesSerial, boolean com1Free, Findings f) {
        CharTarget t = c.getTarget();
        String ttype = t == null || t.getType() == null ? "serial" : t.getType();
        List<String> why = new ArrayList<>();
        if (!ttype.equals("serial")) why.add("target " + ttype);
        else if (!port(t).equals("0")) why.add("target serial port " + port(t) + ": jvirt-vmm has COM1 only");
        else if (!com1Free) why.add("COM1 is taken");
        if (why.isEmpty() && sharesSerial) return; // the serial's own check speaks for COM1
        if (why.isEmpty()) charBackend(c, why);
        if (!why.isEmpty()) f.refuse("console type='" + type(c) + "' (" + String.join(", ", why) + ")");
    }

    /** What VmmCommand can serve COM1 through: pty, file (appended), a listening unix socket, or nothing. */
    private static void charBackend(CharDevice c, List<String> why) {
        String type = type(c);
        switch (type) {
            case "pty", "null" -> { }
            case "file" -> {
                if (sourcePath(c) == null) why.add("no source path");
            }
            case "unix" -> {
                for (CharSource s : c.getSources()) {
                    if (s.getMode() != null && !s.getMode().equals("bind")) why.add("source mode " + s.getMode());
                }
            }
            default -> why.add("type " + type);
        }
        if (c.getLog() != null) why.add("log file '" + c.getLog().getFile() + "'");
        if (c.getProtocol() != null) why.add("protocol " + c.getProtocol().attribute("type"));
    }

    private static String type(CharDevice c) {
        return c.getType() == null ? "pty" : c.getType();
    }

    private static String port(CharTarget t) {
        return t == null || t.getPort() == null ? "0" : t.getPort().trim();
    }

    static String sourcePath(CharDevice c) {
        for (CharSource s : c.getSources()) if (s.getPath() != null) return s.getPath();
        return null;
    }

    /**
     * One VNC display (jvirt-vmm's --vnc) listening on an address, a network's address or a
     * unix socket, with passwd, passwdValidTo, sharePolicy and the en-us keymap; a websocket, a
     * second VNC display or listener, other keymaps and other graphics types (spice, sdl, rdp,
     * egl-headless, dbus) are refused.
     */
    static void graphics(org.jvirt.xml.domain.devices.Graphics g, int vncIndex, Findings f) {
        String type = g.getType();
        String what = "graphics" + quoted("type", type);
        if (!"vnc".equals(type)) {
            f.refuse(what);
            return;
        }
        List<String> why = new ArrayList<>();
        if (vncIndex > 0) why.add("a second VNC display");
        if (g.getWebsocket() != null) why.add("websocket " + g.getWebsocket());
        if (g.getKeymap() != null && !g.getKeymap().equals("en-us")) why.add("keymap '" + g.getKeymap() + "' (jvirt-vmm has the en-us map only)");
        var listens = g.children(org.jvirt.xml.domain.devices.GraphicsListen.class);
        if (listens.size() > 1) why.add("more than one listen");
        for (var l : listens) {
            String lt = l.getType() == null ? "address" : l.getType();
            if (!lt.equals("address") && !lt.equals("network") && !lt.equals("socket")) why.add("listen type " + lt);
        }
        if (!why.isEmpty()) f.refuse(what + " (" + String.join(", ", why) + ")");
    }

    /**
     * Controllers by type and model, with the indexes libvirt gives those without one (the
     * lowest free index of their type, in document order): the PCI root bus is provided, and IDE
     * controller 0 when a drive is on it; bus
     * controllers are omitted (what sits on them is refused itself); the q35's PCIe root ports are
     * provided; PCI bridges, root ports on the pc, and anything else, are refused.
     */
    private static void controllers(List<Controller> controllers, boolean ideDrives, boolean sataDrives, boolean q35, Findings f) {
        Map<String, BitSet> used = new HashMap<>();
        for (Controller c : controllers) {
            Integer i = index(c);
            if (i != null) used.computeIfAbsent(c.getType(), k -> new BitSet()).set(i);
        }
        Map<List<String>, BitSet> groups = new LinkedHashMap<>();  // [type, model] -> indexes
        for (Controller c : controllers) {
            Integer i = index(c);
            if (i == null) {
                BitSet u = used.computeIfAbsent(c.getType(), k -> new BitSet());
                i = u.nextClearBit(0);
                u.set(i);
            }
            String model = c.getModel();
            if ("usb".equals(c.getType()) && "none".equals(model)) continue;
            if ("usb".equals(c.getType()) && InputDevices.XHCI.equals(model) && i == 0) continue; // jvirt-vmm's --usb (InputDevices)
            if ("pci".equals(c.getType()) && (model == null || model.equals(q35 ? "pcie-root" : "pci-root")) && i == 0) continue;
            if (q35 && "pci".equals(c.getType()) && "pcie-root-port".equals(model)) continue; // QEMU's pcie-root-port (PciPlacement)
            if ("ide".equals(c.getType()) && model == null && i == 0 && ideDrives) continue; // the PIIX3 IDE, there when a drive uses it
            if ("sata".equals(c.getType()) && model == null && i == 0 && sataDrives) continue; // the AHCI (ich9-ahci), there when a drive uses it
            groups.computeIfAbsent(Arrays.asList(c.getType(), model), k -> new BitSet()).set(i);
        }
        groups.forEach((key, indexes) -> {
            String item = "controller type='" + key.get(0) + "'" + quoted("model", key.get(1)) + " (index " + bitmap(indexes) + ")";
            if (BUS_CONTROLLERS.contains(key.get(0))) f.omit(item, "nothing jvirt-vmm provides sits on it: its devices are refused themselves");
            else f.refuse(item);
        });
    }

    private static Integer index(Controller c) {
        try {
            return c.getIndex() == null ? null : Integer.valueOf(c.getIndex().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** libvirt's bitmap format: "0", "1-14", "0,2-3". */
    static String bitmap(BitSet b) {
        StringBuilder s = new StringBuilder();
        for (int i = b.nextSetBit(0); i >= 0; ) {
            int end = b.nextClearBit(i) - 1;
            if (s.length() > 0) s.append(',');
            s.append(i);
            if (end > i) s.append('-').append(end);
            i = b.nextSetBit(end + 1);
        }
        return s.toString();
    }
}
