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
 * without an address takes the next free function of a root-port slot, and on q35 a virtio
 * disk without an address gets a root port of its own, as libvirt assigns them; on the pc it
 * takes the first free root-bus slot the VMM finds.
 */
final class PciPlacement {

    /** What VmmCommand passes on: the root ports, and each virtio disk's address (absent: the VMM's first free slot). */
    record Plan(List<LaunchSpec.Controller> controllers, Map<Disk, PciAddress> disks) { }

    private PciPlacement() { }

    static Plan of(Devices devices, boolean q35) throws LibvirtException {
        if (devices == null) return new Plan(List.of(), Map.of());
        // the PCI controllers by index: 0 the root bus, the rest root ports (DeviceChecks refused any other model)
        TreeMap<Integer, Controller> pci = new TreeMap<>();
        int next = 0;
        for (Controller c : devices.getControllers()) {
            if (!"pci".equals(c.getType())) continue;
            Integer index = number(c.getIndex());
            pci.put(index == null ? next : index, c);
            next = Math.max(next, (index == null ? next : index) + 1);
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
        Map<Disk, PciAddress> disks = new LinkedHashMap<>();
        int nextIndex = buses;
        for (Disk d : devices.getDisks()) {
            if (!"virtio".equals(DeviceChecks.busOf(d))) continue;
            PciAddress at = placed.get(d);
            if (at == null && q35 && nextIndex < PciAddress.BUSES) {
                // libvirt gives a PCIe device without an address a new pcie-root-port of its own
                PciAddress port = nextRootPortAddress(used, rootPortSlots);
                controllers.add(new LaunchSpec.Controller(LaunchSpec.ControllerModel.PCIE_ROOT_PORT, nextIndex, port, nextIndex,
                        port.slot() << 3 | port.function()));
                at = new PciAddress(nextIndex++, 0, 0);
                used.add(at);
            }
            if (at != null) disks.put(d, at);
        }
        return new Plan(controllers, disks);
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
