package org.jvirt.driver.jvirt;

import org.jvirt.driver.jvirt.firmware.MachineTypes;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.CharLog;
import org.jvirt.xml.domain.devices.CharTarget;
import org.jvirt.xml.domain.devices.Console;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Input;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.domain.devices.InterfaceModel;
import org.jvirt.xml.domain.devices.Serial;
import org.w3c.dom.Element;

import java.util.List;

/**
 * The jvirt driver's post-parse defaults for the PC it emulates, after libvirt's qemu driver
 * where the device is the same: serial ports are 16550A UARTs on the ISA bus (target
 * type='isa-serial' with its model, as libvirt writes them), and a serial console shares its
 * port's log file. An interface without a model gets virtio, as libvirt's qemuDomainDefaultNetModel
 * chooses for an emulator whose only NIC is virtio-net (it takes rtl8139, then e1000, when the
 * emulator has them). The machine gets its canonical name. The i8042's PS/2 mouse and keyboard are added when absent, after the
 * domain's own inputs, as libvirt's qemuDomainDefAddDefaultDevices does for every pc and q35.
 * Devices jvirt does not emulate (libvirt's default USB controller, audio, balloon) are not
 * added, unlike QEMU's defaults.
 */
final class PcDefaults {

    private PcDefaults() { }

    static void apply(Domain d) {
        boolean hvm = d.getOs() == null || d.getOs().getType() == null || "hvm".equals(d.getOs().getType().trimmed());
        if (hvm) canonicalMachine(d);
        Devices devices = d.getDevices();
        if (devices == null) return;
        List<Serial> serials = devices.getSerials();
        for (int i = 0; i < serials.size(); i++) {
            Serial s = serials.get(i);
            CharTarget t = s.getTarget();
            if (t == null) {
                t = new CharTarget();
                s.setTarget(t);
            }
            String port = t.getPort() == null ? Integer.toString(i) : t.getPort();
            if (t.getType() == null) {
                t.setPort(null);               // libvirt writes type before port
                t.setType("isa-serial");
            }
            t.setPort(port);
            if ("isa-serial".equals(t.getType()) && !hasModel(t)) t.addUnknownChild(model(t));
        }
        for (Interface i : devices.getInterfaces()) {
            if (i.getModel() == null) {
                InterfaceModel m = new InterfaceModel();
                m.setType("virtio");
                i.setModel(m);
            }
        }
        if (hvm) {
            addPs2(devices, "mouse");
            addPs2(devices, "keyboard");
        }
        for (Console c : devices.getConsoles()) {
            CharTarget t = c.getTarget();
            if (t == null || !"serial".equals(t.getType()) || c.getLog() != null) continue;
            Serial port = byPort(serials, t.getPort());
            if (port != null && port.getLog() != null) c.setLog(copy(port.getLog()));
        }
    }

    /**
     * libvirt's qemuCanonicalizeMachine: the machine is stored under QEMU 7.2's canonical name
     * (pc-i440fx-7.2 for "pc" or none, pc-q35-7.2 for "q35"); versioned names stay as given.
     */
    private static void canonicalMachine(Domain d) {
        if (d.getOs() == null || d.getOs().getType() == null) return;
        String machine = d.getOs().getType().getMachine();
        if (machine == null || machine.equals("pc") || machine.equals("q35")) d.getOs().getType().setMachine(MachineTypes.canonical(machine));
    }

    /** virDomainDefMaybeAddInput: a PS/2 input of the type unless the domain has one. */
    private static void addPs2(Devices devices, String type) {
        for (Input in : devices.getInputs()) if (type.equals(in.getType()) && "ps2".equals(in.getBus())) return;
        Input in = new Input();
        in.setType(type);
        in.setBus("ps2");
        devices.addInput(in);
    }

    private static boolean hasModel(CharTarget t) {
        for (Element e : t.unknownChildren()) if ("model".equals(e.getLocalName())) return true;
        return false;
    }

    private static Element model(CharTarget t) {
        Element m = org.jvirt.xml.io.SecureXml.documentBuilder().newDocument().createElementNS(null, "model");
        m.setAttribute("name", t.getType());
        return m;
    }

    private static Serial byPort(List<Serial> serials, String port) {
        for (Serial s : serials) if (s.getTarget() != null && String.valueOf(port == null ? "0" : port).equals(s.getTarget().getPort())) return s;
        return null;
    }

    private static CharLog copy(CharLog log) {
        CharLog c = new CharLog();
        c.setFile(log.getFile());
        c.setAppend(log.getAppend());
        return c;
    }
}
