package org.jvirt.driver.jvirt;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The tests' own reading of what a domain asks that jvirt-vmm lacks, straight from the XML
 * (DOM, not the driver's model or checker), after the VMM's documented abilities: a KVM 'pc'
 * booted from a direct kernel or SeaBIOS (any boot order), host-passthrough CPU, raw and qcow2 disks on virtio or
 * IDE, SATA, IDE and SATA cdroms, COM1, the i8042 keyboard, USB inputs on a qemu-xhci and virtio inputs,
 * PCI root bus (pc) or PCIe root (q35), a virtio balloon; bus controllers, q35's root ports, PS/2 mouse and
 * 'none' audio are omitted, not refused.
 * Covers the kinds of elements virt-install writes.
 */
final class LackingFromXml {

    private static final Set<String> OTHER_HANDLED = Set.of("emulator", "disk", "controller", "interface", "serial",
            "console", "channel", "input", "graphics", "video", "rng", "memballoon", "audio");

    private LackingFromXml() { }

    /** How the refusal of a USB input names controller 0. */
    private static String usbControllerWords(Document doc) {
        for (Element dev : children(child(doc.getDocumentElement(), "devices"))) {
            if (dev.getTagName().equals("controller") && dev.getAttribute("type").equals("usb")
                    && (!dev.hasAttribute("index") || dev.getAttribute("index").equals("0"))) {
                return "a USB controller" + (dev.hasAttribute("model") ? " model='" + dev.getAttribute("model") + "'" : "");
            }
        }
        return "no USB controller";
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    static List<String> refusals(Document doc) {
        List<String> out = new ArrayList<>();
        Element domain = doc.getDocumentElement();
        Element os = child(domain, "os");
        String machine = child(os, "type").getAttribute("machine");
        boolean q35 = machine.equals("q35") || machine.startsWith("pc-q35-");
        if (!machine.isEmpty() && !machine.equals("pc") && !machine.startsWith("pc-i440fx-") && !q35) {
            out.add("os machine='" + machine + "' (jvirt-vmm builds QEMU's pc and q35)");
        }
        Element cpu = child(domain, "cpu");
        if (cpu != null && !cpu.getAttribute("mode").isEmpty() && !Set.of("host-passthrough", "maximum").contains(cpu.getAttribute("mode"))) {
            out.add("cpu mode='" + cpu.getAttribute("mode") + "' (jvirt-vmm gives the host's CPU: host-passthrough)");
        }
        Map<String, TreeSet<Integer>> pci = new LinkedHashMap<>();
        int pciSeen = 0;
        boolean xhci = false; // USB controller 0 is a qemu-xhci: USB keyboards, mice and tablets sit on it
        for (Element dev : children(child(domain, "devices"))) {
            if (dev.getTagName().equals("controller") && dev.getAttribute("type").equals("usb")
                    && (!dev.hasAttribute("index") || dev.getAttribute("index").equals("0"))) xhci = dev.getAttribute("model").equals("qemu-xhci");
        }
        for (Element dev : children(child(domain, "devices"))) {
            String n = dev.getTagName();
            switch (n) {
                case "disk" -> disk(dev, out);
                case "controller" -> {
                    if (!dev.getAttribute("type").equals("pci")) break;
                    int index = dev.hasAttribute("index") ? Integer.parseInt(dev.getAttribute("index")) : pciSeen;
                    pciSeen++;
                    // the root bus is provided; on q35 the root ports are safe to omit (devices sit on the root bus)
                    String model = dev.getAttribute("model");
                    boolean provided = model.equals(q35 ? "pcie-root" : "pci-root") || (q35 && model.equals("pcie-root-port"));
                    if (!provided) pci.computeIfAbsent(model, k -> new TreeSet<>()).add(index);
                }
                case "interface" -> iface(dev, out);
                case "channel" -> { // the guest agent's channel is safe to omit
                    Element t = child(dev, "target");
                    if (t.getAttribute("type").equals("virtio") && t.getAttribute("name").equals("org.qemu.guest_agent.0")) break;
                    out.add("channel type='" + dev.getAttribute("type") + "' (target " + t.getAttribute("type")
                            + (t.hasAttribute("name") ? " '" + t.getAttribute("name") + "'" : "") + ")");
                }
                case "input" -> {
                    String bus = dev.hasAttribute("bus") ? dev.getAttribute("bus") : "ps2";
                    boolean kind = Set.of("keyboard", "mouse", "tablet").contains(dev.getAttribute("type"));
                    boolean provided = bus.equals("ps2") || kind && (bus.equals("virtio") || bus.equals("usb") && xhci);
                    if (!provided) out.add("input type='" + dev.getAttribute("type") + "' (bus " + bus + ")"
                            + (bus.equals("usb") && kind ? " on " + usbControllerWords(doc) + " (jvirt-vmm's USB controller is model='qemu-xhci')" : ""));
                }
                case "graphics" -> { // one VNC display without a websocket, in the en-us keymap, is provided
                    String keymap = dev.getAttribute("keymap");
                    boolean vnc = dev.getAttribute("type").equals("vnc") && !dev.hasAttribute("websocket") && (keymap.isEmpty() || keymap.equals("en-us"));
                    if (!vnc) out.add("graphics type='" + dev.getAttribute("type") + "'");
                }
                case "video" -> { // QEMU's std VGA and bochs-display with their default VRAM, virtio-gpu without one, are provided
                    String type = child(dev, "model").getAttribute("type");
                    String vram = child(dev, "model").getAttribute("vram");
                    boolean provided = type.equals("virtio") ? vram.isEmpty()
                            : (type.equals("vga") || type.equals("bochs")) && (vram.isEmpty() || vram.equals("16384"));
                    if (!provided) out.add("video model='" + type + "'");
                }
                case "rng" -> { // one virtio-rng on a random or builtin backend is provided
                    String backend = child(dev, "backend").getAttribute("model");
                    if (!Set.of("virtio", "virtio-non-transitional").contains(dev.getAttribute("model")) || !Set.of("random", "builtin").contains(backend)
                            || child(dev, "rate") != null) out.add("rng model='" + dev.getAttribute("model") + "' (backend " + backend + ")");
                }
                default -> {
                    if (!OTHER_HANDLED.contains(n)) out.add(n);
                }
            }
        }
        pci.forEach((model, indexes) -> out.add("controller type='pci' model='" + model + "' (index " + ranges(indexes) + ")"));
        return out;
    }

    /** virtio NICs on taps: ethernet, bridge and network interfaces; mac, source, target, model, driver, link, alias and address. */
    private static void iface(Element dev, List<String> out) {
        String type = dev.getAttribute("type");
        String mac = child(dev, "mac") == null ? null : child(dev, "mac").getAttribute("address");
        String what = "interface type='" + type + "'";
        if (!Set.of("ethernet", "bridge", "network").contains(type)) {
            out.add(what + (mac == null ? "" : " (mac " + mac + ")"));
            return;
        }
        List<String> why = new ArrayList<>();
        Element model = child(dev, "model");
        String m = model == null ? "virtio" : model.getAttribute("type"); // jvirt's default model is virtio
        if (!m.equals("virtio") && !m.equals("virtio-non-transitional")) why.add("model '" + m + "'");
        for (Element c : children(dev)) {
            if (!Set.of("mac", "source", "target", "model", "driver", "link", "alias", "address").contains(c.getTagName())) why.add("<" + c.getTagName() + ">");
        }
        if (why.isEmpty()) return;
        out.add(mac == null ? what + " (" + String.join(", ", why) + ")" : what + " (mac " + mac + ": " + String.join(", ", why) + ")");
    }

    private static void disk(Element disk, List<String> out) {
        List<String> why = new ArrayList<>();
        String device = disk.hasAttribute("device") ? disk.getAttribute("device") : "disk";
        Element target = child(disk, "target");
        String dev = target.getAttribute("dev");
        String bus = target.hasAttribute("bus") ? target.getAttribute("bus")
                : dev.startsWith("vd") ? "virtio" : dev.startsWith("hd") ? "ide" : "other";
        // hard disks on virtio, the pc's IDE or the AHCI (SATA); cdroms on IDE or SATA
        boolean ata = bus.equals("ide") || bus.equals("sata");
        if (device.equals("cdrom") && !ata) why.add("device cdrom on bus " + bus);
        else if (!device.equals("disk") && !device.equals("cdrom")) why.add("device " + device);
        if (!bus.equals("virtio") && !ata && !device.equals("cdrom")) why.add("bus " + bus);
        Element driver = child(disk, "driver");
        if (driver != null) {
            String format = driver.hasAttribute("type") ? driver.getAttribute("type") : "raw";
            if (!format.equals("raw") && !format.equals("qcow2")) why.add("format " + format);
            for (int i = 0; i < driver.getAttributes().getLength(); i++) {
                Node a = driver.getAttributes().item(i);
                // IDE: no TRIM, so discard='ignore' is what it does and 'unmap' is safe to omit
                boolean ignoredTrim = a.getNodeName().equals("discard") && (bus.equals("ide") || bus.equals("sata"))
                        && (a.getNodeValue().equals("ignore") || a.getNodeValue().equals("unmap"));
                if (!a.getNodeName().equals("name") && !a.getNodeName().equals("type") && !ignoredTrim) {
                    why.add("driver " + a.getNodeName() + "='" + a.getNodeValue() + "'");
                }
            }
        }
        if (device.equals("disk") && child(disk, "source") == null) why.add("no source file or device");
        if (!why.isEmpty()) out.add("disk '" + dev + "' (" + String.join(", ", why) + ")");
    }

    /** "1-14", "0", "1-3,5". */
    private static String ranges(TreeSet<Integer> set) {
        StringBuilder b = new StringBuilder();
        Integer start = null, prev = null;
        for (int i : set) {
            if (prev != null && i == prev + 1) { prev = i; continue; }
            if (start != null) b.append(b.length() > 0 ? "," : "").append(start).append(prev > start ? "-" + prev : "");
            start = prev = i;
        }
        if (start != null) b.append(b.length() > 0 ? "," : "").append(start).append(prev > start ? "-" + prev : "");
        return b.toString();
    }

    static Element child(Element e, String name) {
        if (e == null) return null;
        for (Element c : children(e)) if (c.getTagName().equals(name)) return c;
        return null;
    }

    static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) if (n instanceof Element c) out.add(c);
        return out;
    }
}
