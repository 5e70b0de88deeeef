package org.jvirt.driver.jvirt;

import org.jvirt.xml.domain.devices.DeviceAddress;
import org.jvirt.xml.domain.devices.Disk;

/**
 * Where an IDE or SATA disk sits, from its drive address (which libvirt's post-parse gives every
 * such disk from its target name: hda..hdd, sda..): on the PIIX3 IDE, position bus * 2 + unit,
 * 0..3 = primary master, primary slave, secondary master, secondary slave; on the AHCI
 * controller 0, the port, the unit 0..5 (bus and target 0). Either is jvirt-vmm's index.
 */
final class IdePosition {

    private IdePosition() { }

    /** SATA ports of the AHCI controller (QEMU's ich9-ahci has six). */
    static final int SATA_PORTS = 6;

    /** The IDE position, or -1 when the address is not one of the four drives of controller 0. */
    static int of(Disk disk) {
        DeviceAddress a = disk.getAddress();
        if (a == null || !"drive".equals(a.getType())) return -1;
        int controller = number(a.getController()), bus = number(a.getBus()), target = number(a.getTarget()), unit = number(a.getUnit());
        if (controller != 0 || target != 0 || bus < 0 || bus > 1 || unit < 0 || unit > 1) return -1;
        return bus * 2 + unit;
    }

    /** The SATA port, or -1 when the address is not one of the six ports of controller 0. */
    static int sataPort(Disk disk) {
        DeviceAddress a = disk.getAddress();
        if (a == null || !"drive".equals(a.getType())) return -1;
        int controller = number(a.getController()), bus = number(a.getBus()), target = number(a.getTarget()), unit = number(a.getUnit());
        if (controller != 0 || target != 0 || bus != 0 || unit < 0 || unit >= SATA_PORTS) return -1;
        return unit;
    }

    /** "controller='1' bus='0' unit='0'" as the address says, for a refusal. */
    static String describe(DeviceAddress a) {
        if (a == null) return "none";
        if (!"drive".equals(a.getType())) return "type '" + a.getType() + "'";
        return "controller='" + a.getController() + "' bus='" + a.getBus() + "' target='" + a.getTarget() + "' unit='" + a.getUnit() + "'";
    }

    private static int number(String v) {
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
