package org.jvirt.driver.jvirt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.xml.domain.devices.AddressedDevice;
import org.jvirt.xml.domain.devices.Controller;
import org.jvirt.xml.domain.devices.DeviceAddress;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Disk;
import org.w3c.dom.Element;

/**
 * Where the VMM puts the PCI devices libvirt places with {@code <address type='pci'>}: the q35's
 * pcie-root-port controllers (index, chassis, port, their root-bus address) and the virtio
 * disks (on the root bus, or slot 0 behind a root port, the bus naming the controller's index).
 * Every PCI address in the devices is checked as libvirt's domain_addr.c checks them, with its
 * words: domain 0 only, a bus some PCI controller provides, the slots that bus has (1-31 on the
 * root bus, 0 behind a root port), each function used once, and the chipset's own functions
 * (00:01.0/.3 of the pc's PIIX3, 00:1f.0/.3 of the q35's ICH9) left alone. A root port
 * without an address takes the next free function of a root-port slot; on q35 the devices
 * without an address fill the free root ports in libvirt's order (interfaces, sound, USB,
 * virtio-serial and SCSI controllers, virtio disks, then the balloon, rng and virtio inputs; a new root port
 * when none is free), so
 * a disk sits where libvirt would put it; on the pc it takes the first free root-bus slot the
 * VMM finds.
 */
final class PciPlacement {

    /**
     * What VmmCommand passes on: the root ports, each virtio disk's address (absent: the VMM's
     * first free slot), and every device's address as given or as libvirt would assign it (for
     * the devices other work adds: interfaces, balloon, rng).
     */
    record Plan(List<LaunchSpec.Controller> controllers, Map<Disk, PciAddress> disks, Map<Object, PciAddress> addresses) {
        /** The device's PCI address, or null. */
        PciAddress of(Object device) {
            return addresses.get(device);
        }
    }

    private PciPlacement() { }

    static Plan of(Devices devices, boolean q35) throws LibvirtException {
        if (devices == null) return new Plan(List.of(), Map.of(), Map.of());
        // the PCI controllers by index: 0 the root bus, the rest root ports (DeviceChecks refused any other model)
        // indexes as libvirt gives them: the root bus 0, the others without one the lowest free index in document order
        TreeMap<Integer, Controller> pci = new TreeMap<>();
        List<Controller> unindexed = new ArrayList<>();
        for (Controller c : devices.getControllers()) {
            if (!"pci".equals(c.getType())) continue;
            Integer index = number(c.getIndex());
            boolean root = "pci-root".equals(c.getModel()) || "pcie-root".equals(c.getModel());
            if (index == null && root) index = 0;
            if (index == null) unindexed.add(c);
            else pci.put(index, c);
        }
        for (Controller c : unindexed) {
            int i = 1;
            while (pci.containsKey(i)) i++;
            pci.put(i, c);
        }
        int buses = pci.isEmpty() ? 1 : Math.max(1, pci.lastKey() + 1);

        Set<PciAddress> used = new HashSet<>();
        // the chipset's functions libvirt reserves itself
        if (q35) {
            used.add(PciAddress.root(0x1f, 0));
            used.add(PciAddress.root(0x1f, 3));
        } else {
            used.add(PciAddress.root(1, 0));
            used.add(PciAddress.root(1, 3));
        }
        Map<Object, PciAddress> placed = new LinkedHashMap<>();
        for (Object dev : devices.children(Object.class)) {
            DeviceAddress a = dev instanceof AddressedDevice ad ? ad.getAddress() : null;
            if (a == null && dev instanceof Element e) {
                for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element c && "address".equals(c.getLocalName()) && "pci".equals(c.getAttribute("type"))) {
                        PciAddress p = validate(c.getAttribute("domain"), c.getAttribute("bus"), c.getAttribute("slot"), c.getAttribute("function"), pci, buses);
                        claim(used, p);
                    }
                }
                continue;
            }
            if (a == null || !"pci".equals(a.getType())) continue;
            PciAddress p = validate(a.getDomain(), a.getBus(), a.getSlot(), a.getFunction(), pci, buses);
            claim(used, p);
            placed.put(dev, p);
        }

        if (q35) reservePrimaryVideo(devices, used, placed);
        List<LaunchSpec.Controller> controllers = new ArrayList<>();
        Set<Integer> rootPortSlots = new HashSet<>(); // root-bus slots root ports share (libvirt's aggregate slots)
        for (Map.Entry<Integer, Controller> e : pci.entrySet()) {
            PciAddress at = placed.get(e.getValue());
            if (!"pcie-root-port".equals(e.getValue().getModel()) || at == null) continue;
            if (!at.onRootBus()) {
                throw xmlError("The device at PCI address " + text(at) + " cannot be plugged into the PCI controller with index='"
                        + at.bus() + "'. It requires a controller that accepts a pcie-root-port.");
            }
            rootPortSlots.add(at.slot());
        }
        for (Map.Entry<Integer, Controller> e : pci.entrySet()) {
            Controller c = e.getValue();
            if (!"pcie-root-port".equals(c.getModel())) continue;
            PciAddress at = placed.get(c);
            if (at == null) at = nextRootPortAddress(used, rootPortSlots);
            controllers.add(rootPort(e.getKey(), c, at));
        }
        if (q35) {
            // libvirt's order for PCIe devices without an address (qemuDomainAssignDevicePCISlots): interfaces, sound,
            // device controllers, then virtio disks, each into the first root port with its slot free, else a new one
            Ports ports = new Ports(controllers, used, rootPortSlots, buses);
            for (Object dev : devices.getInterfaces()) ports.place(dev, placed);
            for (Object dev : devices.getSounds()) ports.place(dev, placed);
            for (Controller c : devices.getControllers()) if (takesPcieSlot(c)) ports.place(c, placed);
            if (needsImplicitVirtioSerial(devices)) ports.place(IMPLICIT_VIRTIO_SERIAL, placed);
            for (Disk d : devices.getDisks()) if ("virtio".equals(DeviceChecks.busOf(d))) ports.place(d, placed);
            var balloon = devices.getMemballoon();
            if (balloon != null && balloon.getModel() != null && balloon.getModel().startsWith("virtio")) ports.place(balloon, placed);
            for (var rng : devices.getRngs()) if (rng.getModel() != null && rng.getModel().startsWith("virtio")) ports.place(rng, placed);
            for (var input : devices.getInputs()) if ("virtio".equals(input.getBus())) ports.place(input, placed);
        }
        Map<Disk, PciAddress> disks = new LinkedHashMap<>();
        for (Disk d : devices.getDisks()) {
            if ("virtio".equals(DeviceChecks.busOf(d)) && placed.containsKey(d)) disks.put(d, placed.get(d));
        }
        return new Plan(controllers, disks, placed);
    }

    /** The virtio-serial controller libvirt adds for virtio channels and consoles when the XML has none (a key of {@link Plan#addresses}). */
    static final String IMPLICIT_VIRTIO_SERIAL = "controller virtio-serial";

    private static boolean needsImplicitVirtioSerial(Devices devices) {
        for (Controller c : devices.getControllers()) if ("virtio-serial".equals(c.getType())) return false;
        for (var ch : devices.getChannels()) if (ch.getTarget() != null && "virtio".equals(ch.getTarget().getType())) return true;
        for (var co : devices.getConsoles()) if (co.getTarget() != null && "virtio".equals(co.getTarget().getType())) return true;
        return false;
    }

    /** libvirt puts the q35's primary video at 00:01.0 when it has no address and that is free (qemuDomainValidateDevicePCISlotsQ35). */
    private static void reservePrimaryVideo(Devices devices, Set<PciAddress> used, Map<Object, PciAddress> placed) {
        if (devices.getVideos().isEmpty()) return;
        var video = devices.getVideos().get(0);
        String model = video.getModel() == null ? null : video.getModel().getType();
        if ("none".equals(model) || placed.containsKey(video)) return;
        PciAddress at = PciAddress.root(1, 0);
        if (used.add(at)) placed.put(video, at);
    }

    /** A q35 controller libvirt gives a PCIe slot: USB (xHCI, libvirt's q35 default), virtio-serial, SCSI. */
    private static boolean takesPcieSlot(Controller c) {
        String model = c.getModel();
        return switch (c.getType() == null ? "" : c.getType()) {
            case "usb" -> model == null || model.equals("qemu-xhci") || model.equals("nec-xhci");
            case "virtio-serial" -> true;
            case "scsi" -> model == null || model.startsWith("virtio");
            default -> false;
        };
    }

    /** The root ports' slots: the free ones by index, and new ports added after the last index as libvirt adds them. */
    private static final class Ports {
        final List<LaunchSpec.Controller> controllers;
        final Set<PciAddress> used;
        final Set<Integer> rootPortSlots;
        final java.util.TreeSet<Integer> free = new java.util.TreeSet<>();
        int nextIndex;

        Ports(List<LaunchSpec.Controller> controllers, Set<PciAddress> used, Set<Integer> rootPortSlots, int buses) {
            this.controllers = controllers;
            this.used = used;
            this.rootPortSlots = rootPortSlots;
            this.nextIndex = buses;
            for (LaunchSpec.Controller c : controllers) if (!used.contains(new PciAddress(c.index(), 0, 0))) free.add(c.index());
        }

        void place(Object dev, Map<Object, PciAddress> placed) throws LibvirtException {
            if (placed.containsKey(dev)) return;
            Integer index = free.pollFirst();
            if (index == null) {
                if (nextIndex >= PciAddress.BUSES) return; // the VMM's first free root-bus slot then
                PciAddress port = nextRootPortAddress(used, rootPortSlots);
                index = nextIndex++;
                controllers.add(new LaunchSpec.Controller(LaunchSpec.ControllerModel.PCIE_ROOT_PORT, index, port, index,
                        port.slot() << 3 | port.function()));
            }
            PciAddress at = new PciAddress(index, 0, 0);
            used.add(at);
            placed.put(dev, at);
        }
    }

    /** The controller's chassis and port (libvirt's {@code <target>}), with libvirt's defaults: the index, and slot << 3 | function. */
    private static LaunchSpec.Controller rootPort(int index, Controller c, PciAddress at) throws LibvirtException {
        Integer chassis = null, port = null;
        for (Element t : c.unknownChildren()) {
            if (!"target".equals(t.getLocalName())) continue;
            chassis = number(t.getAttribute("chassis"));
            port = number(t.getAttribute("port"));
        }
        int ch = chassis == null ? index : chassis, p = port == null ? at.slot() << 3 | at.function() : port;
        if (ch > 255 || p > 255) throw xmlError("pcie-root-port index='" + index + "': chassis and port must be 0-255");
        return new LaunchSpec.Controller(LaunchSpec.ControllerModel.PCIE_ROOT_PORT, index, at, ch, p);
    }

    /**
     * The next place for a root port: libvirt puts them eight to a slot (functions 0-7), in
     * slots other root ports share or nothing uses, from 00:01 on. The place is taken.
     */
    private static PciAddress nextRootPortAddress(Set<PciAddress> used, Set<Integer> rootPortSlots) throws LibvirtException {
        for (int slot = 1; slot < PciAddress.SLOTS; slot++) {
            boolean empty = true;
            for (int f = 0; f < PciAddress.FUNCTIONS; f++) if (used.contains(PciAddress.root(slot, f))) empty = false;
            if (!empty && !rootPortSlots.contains(slot)) continue;
            for (int f = 0; f < PciAddress.FUNCTIONS; f++) {
                PciAddress a = PciAddress.root(slot, f);
                if (used.add(a)) {
                    rootPortSlots.add(slot);
                    return a;
                }
            }
        }
        throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_DOMAIN,
                "a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added");
    }

    private static String text(PciAddress p) {
        return String.format("0000:%02x:%02x.%x", p.bus(), p.slot(), p.function());
    }

    private static PciAddress validate(String domain, String bus, String slot, String function,
                                       TreeMap<Integer, Controller> pci, int buses) throws LibvirtException {
        long d = parse(domain), b = parse(bus), s = parse(slot), f = parse(function);
        String text = String.format("%04x:%02x:%02x.%x", d, b, s, f);
        if (d != 0) throw xmlError("Invalid PCI address " + text + ". Only PCI domain 0 is available");
        if (b >= buses) throw xmlError("Invalid PCI address " + text + ". Only PCI buses up to " + (buses - 1) + " are available");
        if (b > 0 && !pci.containsKey((int) b)) throw xmlError("Invalid PCI address " + text + ". No PCI controller has index='" + b + "'");
        boolean root = b == 0;
        if (root && s < 1) throw xmlError("Invalid PCI address " + text + ". slot must be >= 1");
        if (s > (root ? 31 : 0)) throw xmlError("Invalid PCI address " + text + ". slot must be <= " + (root ? 31 : 0));
        if (f > 7) throw xmlError("Invalid PCI address " + text + ". function must be <= 7");
        return new PciAddress((int) b, (int) s, (int) f);
    }

    private static void claim(Set<PciAddress> used, PciAddress p) throws LibvirtException {
        if (!used.add(p)) throw xmlError("Attempted double use of PCI Address " + text(p));
    }

    /** An attribute as libvirt's virStrToLong_uip reads it (base 0: 0x hex or decimal); absent is 0. */
    private static long parse(String v) throws LibvirtException {
        if (v == null || v.isBlank()) return 0;
        Integer n = number(v);
        if (n == null) throw xmlError("Cannot parse <address> attribute '" + v + "'");
        return n;
    }

    private static Integer number(String v) {
        if (v == null || v.isBlank()) return null;
        String t = v.trim();
        try {
            int n = t.startsWith("0x") || t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static LibvirtException xmlError(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN, message);
    }
}
