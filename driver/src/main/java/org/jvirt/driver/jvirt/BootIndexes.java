package org.jvirt.driver.jvirt;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.BootDevice;
import org.jvirt.xml.domain.devices.BootOrder;
import org.jvirt.xml.domain.devices.Disk;

/**
 * The firmware's boot priority of each disk, as libvirt gives QEMU a bootindex
 * (qemuProcessPrepareDomainDiskBootorder) with {@code -boot strict=on}: with {@code <os><boot
 * dev>} elements, the first disk of each kind (hd: device disk, cdrom: the first cdrom, fd: the
 * first floppy) gets its element's place in the list, 1 first; otherwise each disk's own
 * {@code <boot order>}. Disks without one are not booted.
 */
final class BootIndexes {

    private BootIndexes() { }

    static Map<Disk, Integer> of(DomainDefinition def) {
        Map<Disk, Integer> out = new IdentityHashMap<>();
        List<Disk> disks = DeviceLookup.disks(def);
        var os = def.model().getOs();
        List<BootDevice> devs = os == null ? List.of() : os.getBootDevices();
        if (devs.isEmpty()) {
            for (Disk d : disks) {
                BootOrder b = d.getBoot();
                if (b != null && b.getOrder() != null) out.put(d, Integer.valueOf(b.getOrder().trim()));
            }
            return out;
        }
        int hd = 0, cdrom = 0, fd = 0;
        for (int i = 0; i < devs.size(); i++) {
            String dev = devs.get(i).getDev();
            if ("hd".equals(dev)) hd = i + 1;
            else if ("cdrom".equals(dev)) cdrom = i + 1;
            else if ("fd".equals(dev)) fd = i + 1;
        }
        for (Disk d : disks) {
            String device = d.getDevice() == null ? "disk" : d.getDevice();
            int index = switch (device) {
                case "cdrom" -> cdrom;
                case "floppy" -> fd;
                default -> hd;
            };
            if (index > 0) out.put(d, index);
            switch (device) {
                case "cdrom" -> cdrom = 0;
                case "floppy" -> fd = 0;
                default -> hd = 0;
            }
        }
        return out;
    }
}
