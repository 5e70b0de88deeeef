package org.jvirt.driver.def;

import java.util.List;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.Interface;

/** Finding a definition's disk or interface the way libvirt's statistics APIs name them. */
public final class DeviceLookup {

    private DeviceLookup() { }

    /** The disks in document order (none when there is no {@code <devices>}). */
    public static List<Disk> disks(DomainDefinition def) {
        Devices d = def.model().getDevices();
        return d == null ? List.of() : d.getDisks();
    }

    public static List<Interface> interfaces(DomainDefinition def) {
        Devices d = def.model().getDevices();
        return d == null ? List.of() : d.getInterfaces();
    }

    /** virDomainDiskByName: by target ("vda") or by source path; null when none matches. */
    public static Disk disk(DomainDefinition def, String path) {
        for (Disk disk : disks(def)) {
            if (disk.getTarget() != null && path.equals(disk.getTarget().getDev())) return disk;
        }
        for (Disk disk : disks(def)) {
            String src = sourcePath(disk);
            if (src != null && path.equals(src)) return disk;
        }
        return null;
    }

    /** The file or block device a disk reads, or null (network, empty cdrom). */
    public static String sourcePath(Disk disk) {
        if (disk.getSource() == null) return null;
        return disk.getSource().getFile() != null ? disk.getSource().getFile() : disk.getSource().getDev();
    }

    /** virDomainNetFind: by target device name, or by MAC address (any case); null when none. */
    public static Interface net(DomainDefinition def, String device) {
        for (Interface i : interfaces(def)) {
            if (i.getTarget() != null && device.equals(i.getTarget().getDev())) return i;
        }
        for (Interface i : interfaces(def)) {
            if (i.getMac() != null && device.equalsIgnoreCase(i.getMac().getAddress())) return i;
        }
        return null;
    }
}
