package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.UnsupportedConfig.quoted;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.jvirt.UnsupportedConfig.Findings;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.xml.domain.devices.Controller;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Input;

/**
 * {@code <input>} devices and the USB controller they may sit on, against jvirt-vmm's: the
 * i8042's PS/2 keyboard and mouse (always there, as on QEMU's pc and q35), keyboards, mice and
 * tablets on USB (QEMU's usb-kbd, usb-mouse, usb-tablet) behind a {@code qemu-xhci} controller
 * 0, and the same three on virtio (virtio-keyboard-pci, virtio-mouse-pci, virtio-tablet-pci).
 * Other USB controller models (libvirt's pc default piix3-uhci, ehci, nec-xhci) are omitted when
 * nothing sits on them and refused under a USB input; passthrough and evdev inputs are refused.
 */
final class InputDevices {

    /** The one USB controller model jvirt-vmm has. */
    static final String XHCI = "qemu-xhci";

    private InputDevices() { }

    /** Adds to f what jvirt-vmm cannot provide of one {@code <input>}. */
    static void check(Input in, Devices devices, Findings f) {
        String type = in.getType();
        String bus = in.getBus() == null ? "ps2" : in.getBus();
        String what = "input type='" + type + "' (bus " + bus + ")";
        boolean kind = "keyboard".equals(type) || "mouse".equals(type) || "tablet".equals(type);
        switch (bus) {
            case "ps2" -> {
                if (!"keyboard".equals(type) && !"mouse".equals(type)) f.refuse(what);
            }
            case "usb" -> {
                if (!kind) {
                    f.refuse(what);
                    return;
                }
                Controller usb = usbController(devices);
                String model = usb == null ? null : usb.getModel();
                if (usb == null || !XHCI.equals(model)) {
                    f.refuse(what + " on " + (usb == null ? "no USB controller" : "a USB controller" + quoted("model", model))
                            + " (jvirt-vmm's USB controller is model='" + XHCI + "')");
                }
            }
            case "virtio" -> {
                if (!kind || in.getModel() != null) f.refuse(what + (in.getModel() == null ? "" : " of model '" + in.getModel() + "'"));
            }
            default -> f.refuse(what);
        }
    }

    /** USB controller 0, or null. */
    static Controller usbController(Devices devices) {
        if (devices == null) return null;
        for (Controller c : devices.getControllers()) {
            if (!"usb".equals(c.getType())) continue;
            String index = c.getIndex() == null ? "0" : c.getIndex().trim();
            if (index.equals("0")) return c;
        }
        return null;
    }

    /** Whether c is the USB controller jvirt-vmm provides (qemu-xhci at index 0). */
    static boolean provided(Controller c, Devices devices) {
        return c == usbController(devices) && XHCI.equals(c.getModel());
    }

    /**
     * jvirt-vmm's --usb for the domain, or null (start has checked the devices): the controller's
     * ports='N' becomes ports=N (libvirt passes it to QEMU as p2=N,p3=N), refused above QEMU's 15
     * in libvirt's words.
     */
    static LaunchSpec.Usb usb(Devices devices, PciPlacement.Plan pci) throws LibvirtException {
        Controller c = usbController(devices);
        if (c == null || !XHCI.equals(c.getModel())) return null;
        return new LaunchSpec.Usb(pci.of(c), ports(c));
    }

    /**
     * Define-time checks of every qemu-xhci controller's {@code ports}, in libvirt's words (its
     * parser's, then qemuValidateDomainDeviceDefControllerUSB's): an integer, at most 15.
     */
    static void validate(Devices devices) throws LibvirtException {
        if (devices == null) return;
        for (Controller c : devices.getControllers()) {
            if ("usb".equals(c.getType()) && XHCI.equals(c.getModel())) ports(c);
        }
    }

    /** The controller's ports, or null when it names none (QEMU's 4 USB 2 and 4 USB 3 ports). */
    private static Integer ports(Controller c) throws LibvirtException {
        if (c.getPorts() == null) return null;
        int ports;
        try {
            ports = Integer.parseInt(c.getPorts().trim());
        } catch (NumberFormatException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN,
                    "Invalid value for attribute 'ports' in element 'controller': '" + c.getPorts() + "'. Expected integer value");
        }
        if (ports > LaunchSpec.Usb.MAX_PORTS || ports < 1) {
            // 0 passes libvirt's check and fails its USB address assignment; QEMU needs a port either way
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "'" + XHCI + "' controller only supports up to '" + LaunchSpec.Usb.MAX_PORTS + "' ports");
        }
        return ports;
    }

    /** jvirt-vmm's --input list: every USB and virtio input in document order (the PS/2 pair is built in). */
    static List<LaunchSpec.Input> launch(Devices devices, PciPlacement.Plan pci) {
        List<LaunchSpec.Input> out = new ArrayList<>();
        if (devices == null) return out;
        for (Input in : devices.getInputs()) {
            LaunchSpec.InputBus bus = switch (in.getBus() == null ? "ps2" : in.getBus()) {
                case "usb" -> LaunchSpec.InputBus.USB;
                case "virtio" -> LaunchSpec.InputBus.VIRTIO;
                default -> null;
            };
            if (bus == null) continue;
            LaunchSpec.InputKind kind = LaunchSpec.InputKind.valueOf(in.getType().toUpperCase(java.util.Locale.ROOT));
            out.add(new LaunchSpec.Input(kind, bus, bus == LaunchSpec.InputBus.VIRTIO ? pci.of(in) : null));
        }
        return out;
    }
}
