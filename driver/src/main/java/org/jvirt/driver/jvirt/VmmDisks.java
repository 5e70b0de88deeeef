package org.jvirt.driver.jvirt;

import java.util.List;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.devices.Disk;

/**
 * The VMM numbers its virtio-blk disks 0, 1, ... in launch order (the definition's order); its
 * IDE drives are apart. Statistics, snapshots and block jobs name a disk by that number.
 */
final class VmmDisks {

    private VmmDisks() { }

    /** The definition's virtio disks, in the VMM's order. */
    static List<Disk> of(DomainDefinition def) {
        return DeviceLookup.disks(def).stream().filter(d -> "virtio".equals(DeviceChecks.busOf(d))).toList();
    }

    /** The VMM's number of a disk, or -1 for a disk it does not number (IDE). */
    static int indexOf(DomainDefinition def, Disk disk) {
        List<Disk> disks = of(def);
        for (int i = 0; i < disks.size(); i++) if (disks.get(i) == disk) return i;
        return -1;
    }
}
