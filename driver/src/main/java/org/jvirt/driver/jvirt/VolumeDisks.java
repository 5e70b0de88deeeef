package org.jvirt.driver.jvirt;

import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.devices.Disk;

/**
 * virDomainDiskTranslateSourcePool: a {@code <disk type='volume'>} names a pool and a volume;
 * when the domain starts, the VMM gets the volume's file, as QEMU gets it from libvirt.
 */
final class VolumeDisks {

    /** The path of volume V in pool P (failing in libvirt's words when P is unknown or inactive). */
    interface Resolver {
        String path(String pool, String volume) throws LibvirtException;
    }

    private VolumeDisks() { }

    /** def itself when it has no volume disk, else a copy whose volume disks are file disks on their volumes' paths. */
    static DomainDefinition resolve(DomainDefinition def, Resolver storage) throws LibvirtException {
        var devices = def.model().getDevices();
        if (devices == null || devices.getDisks().stream().noneMatch(d -> "volume".equals(d.getType()))) return def;
        DomainDefinition copy = def.copy();
        for (Disk d : copy.model().getDevices().getDisks()) {
            if (!"volume".equals(d.getType()) || d.getSource() == null) continue;
            String path = storage.path(d.getSource().getPool(), d.getSource().getVolume());
            d.setType("file");
            d.getSource().setPool(null);
            d.getSource().setVolume(null);
            d.getSource().setFile(path);
        }
        return copy;
    }
}
