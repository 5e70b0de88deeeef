package org.jvirt.driver.def;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Controller;
import org.jvirt.xml.domain.devices.DeviceAddress;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.Readonly;

/**
 * libvirt's generic defaults for disks (domain_conf.c), as every driver shows them: disks kept
 * grouped by the bus they named and ordered by target within it (virDomainDiskInsert), the bus
 * taken from the target's prefix, cdroms read-only, drive addresses for scsi, ide, fdc and
 * sata disks (virDomainDiskDefAssignAddress), no two disks on one drive address, and the
 * controllers those addresses need added (scsi, fdc, ide, sata, as libvirt adds them); devices
 * written by kind, controllers of one type by index, as libvirt's parser keeps them.
 */
final class DiskDefaults {

    private DiskDefaults() { }

    /** Drive-address geometry of a bus: units per bus, buses per controller. */
    private record Geometry(int units, int buses) { }

    static void apply(Devices devices) throws LibvirtException {
        devices.orderChildrenAsLibvirt();
        List<Controller> parsed = new ArrayList<>();
        for (Controller c : devices.getControllers()) insertController(parsed, c);
        devices.setChild(Controller.class, null);
        for (Controller c : parsed) devices.addChild(Controller.class, c);
        List<Disk> disks = inInsertOrder(devices.getDisks());
        devices.setChild(Disk.class, null);
        for (Disk d : disks) devices.addChild(Disk.class, d);
        for (Disk d : disks) {
            if (d.getTarget().getBus() == null) d.getTarget().setBus(busOf(d.getTarget().getDev()));
            if ("cdrom".equals(d.getDevice()) && d.getReadonlyMarker() == null) d.setReadonlyMarker(new Readonly());
            Geometry g = geometry(d.getTarget().getBus());
            if (g != null && d.getAddress() == null) d.setAddress(driveAddress(index(d.getTarget().getDev()), g));
        }
        checkDuplicateAddresses(disks);
        for (String bus : List.of("scsi", "fdc", "ide", "sata")) addControllers(devices, disks, bus);
    }

    /** virDomainDiskInsert, applied in document order with the bus each disk named (or none). */
    private static List<Disk> inInsertOrder(List<Disk> parsed) {
        List<Disk> out = new ArrayList<>();
        for (Disk disk : parsed) {
            int insertAt = -1;
            for (int i = out.size() - 1; i >= 0; i--) {
                Disk other = out.get(i);
                if (!Objects.equals(other.getTarget().getBus(), disk.getTarget().getBus())) continue;
                if (index(other.getTarget().getDev()) > index(disk.getTarget().getDev())) insertAt = i;
                else if (insertAt == -1) insertAt = i + 1;
            }
            out.add(insertAt < 0 ? out.size() : insertAt, disk);
        }
        return out;
    }

    /** virDiskNameToIndex: the letters after the prefix in base 26 ("a" 0, "z" 25, "aa" 26). */
    static int index(String dev) {
        int idx = 0;
        for (int j = prefixLength(dev); j < dev.length() && Character.isLowerCase(dev.charAt(j)); j++)
            idx = (j == prefixLength(dev) ? 0 : (idx + 1) * 26) + (dev.charAt(j) - 'a');
        return idx;
    }

    private static int prefixLength(String dev) {
        return dev.startsWith("xvd") || dev.startsWith("ubd") ? 3 : 2;
    }

    /** The bus a target's prefix implies (virDomainDiskDefPostParse / virDiskNameParse). */
    private static String busOf(String dev) {
        if (dev.startsWith("hd")) return "ide";
        if (dev.startsWith("sd")) return "scsi";
        if (dev.startsWith("vd")) return "virtio";
        if (dev.startsWith("xvd")) return "xen";
        if (dev.startsWith("ubd")) return "uml";
        if (dev.startsWith("fd")) return "fdc";
        return null;
    }

    private static Geometry geometry(String bus) {
        if (bus == null) return null;
        return switch (bus) {
            case "scsi" -> new Geometry(7, 1);
            case "ide" -> new Geometry(2, 2);
            case "fdc" -> new Geometry(2, 1);
            case "sata" -> new Geometry(6, 1);
            default -> null;
        };
    }

    private static DeviceAddress driveAddress(int idx, Geometry g) {
        int perController = g.units() * g.buses();
        DeviceAddress a = new DeviceAddress();
        a.setType("drive");
        a.setController(Integer.toString(idx / perController));
        a.setBus(Integer.toString(idx % perController / g.units()));
        a.setTarget("0");
        a.setUnit(Integer.toString(idx % g.units()));
        return a;
    }

    private static String key(DeviceAddress a) {
        return "controller='" + a.getController() + "' bus='" + a.getBus() + "' target='" + a.getTarget()
                + "' unit='" + a.getUnit() + "'";
    }

    private static void checkDuplicateAddresses(List<Disk> disks) throws LibvirtException {
        for (int i = 0; i < disks.size(); i++) {
            DeviceAddress a = disks.get(i).getAddress();
            if (a == null || !"drive".equals(a.getType())) continue;
            for (int j = i + 1; j < disks.size(); j++) {
                DeviceAddress b = disks.get(j).getAddress();
                boolean sameBus = Objects.equals(disks.get(i).getTarget().getBus(), disks.get(j).getTarget().getBus());
                if (sameBus && b != null && "drive".equals(b.getType()) && key(a).equals(key(b)))
                    throw new LibvirtException(Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, Error.ErrorDomain.VIR_FROM_DOMAIN,
                            "Found duplicate drive address for disk with target name '" + disks.get(i).getTarget().getDev()
                                    + "' " + key(a));
            }
        }
    }

    /** virDomainDefAddDiskControllersForType: controllers 0..max of the type the disks address. */
    private static void addControllers(Devices devices, List<Disk> disks, String bus) {
        int max = -1;
        for (Disk d : disks) {
            DeviceAddress a = d.getAddress();
            if (!bus.equals(d.getTarget().getBus()) || a == null || !"drive".equals(a.getType()) || a.getController() == null)
                continue;
            max = Math.max(max, Integer.parseInt(a.getController().strip()));
        }
        String type = bus;
        for (int idx = 0; idx <= max; idx++) {
            if (hasController(devices, type, idx)) continue;
            Controller c = new Controller();
            c.setType(type);
            c.setIndex(Integer.toString(idx));
            devices.addChild(Controller.class, c); // virDomainDefMaybeAddController appends

        }
    }

    private static boolean hasController(Devices devices, String type, int idx) {
        for (Controller c : devices.getControllers())
            if (type.equals(c.getType()) && c.getIndex() != null && c.getIndex().strip().equals(Integer.toString(idx)))
                return true;
        return false;
    }

    /** virDomainControllerInsertPreAlloced (at parse): after its type's lower indexes, before a higher one. */
    private static void insertController(List<Controller> list, Controller c) {
        int idx = indexOf(c);
        int insertAt = -1;
        for (int i = list.size() - 1; i >= 0; i--) {
            Controller cur = list.get(i);
            if (!Objects.equals(c.getType(), cur.getType())) continue;
            if (indexOf(cur) > idx) insertAt = i;
            else if (insertAt == -1) insertAt = i + 1;
        }
        list.add(insertAt < 0 ? list.size() : insertAt, c);
    }

    private static int indexOf(Controller c) {
        try {
            return c.getIndex() == null ? -1 : Integer.parseInt(c.getIndex().strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
