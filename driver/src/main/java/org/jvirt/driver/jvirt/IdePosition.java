package org.jvirt.driver.jvirt;

import org.jvirt.xml.domain.devices.DeviceAddress;
import org.jvirt.xml.domain.devices.Disk;

/**
 * Where an IDE disk sits on the PIIX3 IDE, from its drive address (which libvirt's post-parse
 * gives every IDE disk from its target name: hda, hdb, hdc, hdd): position bus * 2 + unit,
 * 0..3 = primary master, primary slave, secondary master, secondary slave (jvirt-vmm's index).
 */
final class IdePosition {

    private IdePosition() { }

    /** The position, or -1 when the address is not one of the four drives of controller 0. */
    static int of(Disk disk) {
        DeviceAddress a = disk.getAddress();
        if (a == null || !"drive".equals(a.getType())) return -1;
        int controller = number(a.getController()), bus = number(a.getBus()), target = number(a.getTarget()), unit = number(a.getUnit());
        if (controller != 0 || target != 0 || bus < 0 || bus > 1 || unit < 0 || unit > 1) return -1;
        return bus * 2 + unit;
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
