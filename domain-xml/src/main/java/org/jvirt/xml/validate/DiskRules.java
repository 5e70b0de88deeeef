package org.jvirt.xml.validate;

import static org.jvirt.xml.validate.InvalidDomainException.Kind.CONFIG_UNSUPPORTED;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.INTERNAL_ERROR;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.NO_SOURCE;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.NO_TARGET;
import static org.jvirt.xml.validate.InvalidDomainException.Kind.XML_ERROR;
import static org.jvirt.xml.validate.XmlAttributeRules.enumValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.DiskDriver;
import org.jvirt.xml.domain.devices.DiskSource;
import org.jvirt.xml.domain.devices.DiskTarget;

/**
 * The checks libvirt 9.0 makes on each {@code <disk>} while parsing (virDomainDiskDefParseXML:
 * type, device, target bus, driver cache and io, driver format, target presence, target name)
 * and after the whole domain is read (names that fit the device, a source where one is
 * needed, no target used twice), in that order and with the words virsh prints.
 */
final class DiskRules {

    private DiskRules() { }

    private static final Set<String> TYPES = Set.of("file", "block", "dir", "network", "volume", "nvme", "vhostuser");
    private static final Set<String> DEVICES = Set.of("disk", "cdrom", "floppy", "lun");
    private static final Set<String> BUSES = Set.of("ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd");
    private static final Set<String> CACHES = Set.of("default", "none", "writethrough", "writeback", "directsync", "unsafe");
    private static final Set<String> IOS = Set.of("native", "threads", "io_uring");
    /** virStorageFileFormat, without "none" (which a disk's driver may not name). */
    private static final Set<String> FORMATS = Set.of("raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi",
            "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");
    /** virDiskNameParse: a known prefix, lower-case letters, then an optional partition number. */
    private static final Pattern NAME = Pattern.compile("(fd|hd|vd|sd|xvd|ubd)[a-z]+[0-9]*");

    /** Parse-time checks of one disk. */
    static void check(Disk disk) throws InvalidDomainException {
        enumValue(disk.getType(), TYPES, "type", "disk");
        enumValue(disk.getDevice(), DEVICES, "device", "disk");
        DiskTarget target = disk.getTarget();
        if (target != null) enumValue(target.getBus(), BUSES, "bus", "target");
        DiskDriver driver = disk.getDriver();
        if (driver != null) {
            enumValue(driver.getCache(), CACHES, "cache", "driver");
            enumValue(driver.getIo(), IOS, "io", "driver");
            if (driver.getType() != null && !FORMATS.contains(driver.getType()))
                throw new InvalidDomainException(CONFIG_UNSUPPORTED, "unknown driver format value '" + driver.getType() + "'");
        }
        String dev = target == null ? null : target.getDev();
        if (dev == null) {
            String source = sourcePath(disk);
            throw new InvalidDomainException(NO_TARGET, source);
        }
        if (!NAME.matcher(dev).matches())
            throw new InvalidDomainException(XML_ERROR, "Unknown disk name '" + dev + "' and no address specified");
    }

    /**
     * Post-parse checks (after the memory and vCPU ones): for each disk in turn, its name fits
     * its device (floppies are fd*, hard disks are not), a lun is a block device, and a disk
     * or lun has a source (cdroms and floppies may be empty); then no target is used twice.
     */
    static void postParse(List<Disk> disks) throws InvalidDomainException {
        for (Disk d : disks) {
            String type = d.getType() == null ? "file" : d.getType();
            String device = d.getDevice() == null ? "disk" : d.getDevice();
            String dev = d.getTarget().getDev();
            if (device.equals("floppy") && !dev.startsWith("fd"))
                throw new InvalidDomainException(INTERNAL_ERROR, "Invalid floppy device name: " + dev);
            if ((device.equals("disk") || device.equals("lun")) && dev.startsWith("fd"))
                throw new InvalidDomainException(INTERNAL_ERROR, "Invalid harddisk device name: " + dev);
            if (device.equals("lun") && !type.equals("block") && !type.equals("network") && !type.equals("volume"))
                throw new InvalidDomainException(CONFIG_UNSUPPORTED, "disk device='lun' is only valid for block type disk source");
            boolean mayBeEmpty = device.equals("cdrom") || device.equals("floppy");
            boolean missing = type.equals("network") ? d.getSource() == null
                    : Set.of("file", "block", "dir").contains(type) && sourcePath(d) == null;
            if (missing && !mayBeEmpty)
                throw new InvalidDomainException(NO_SOURCE, dev);
        }
        Map<String, Disk> byTarget = new HashMap<>();
        for (Disk d : disks) {
            Disk other = byTarget.putIfAbsent(d.getTarget().getDev(), d);
            if (other != null)
                throw new InvalidDomainException(XML_ERROR, "target '" + d.getTarget().getDev()
                        + "' duplicated for disk sources '" + orNull(sourcePath(other)) + "' and '"
                        + orNull(sourcePath(d)) + "'");
        }
    }

    /** libvirt's NULLSTR: how a missing source shows in a message. */
    private static String orNull(String s) {
        return s == null ? "<null>" : s;
    }

    /** The disk's source path as libvirt names it in errors, or null. */
    private static String sourcePath(Disk disk) {
        DiskSource s = disk.getSource();
        if (s == null) return null;
        String type = disk.getType() == null ? "file" : disk.getType();
        return switch (type) {
            case "file" -> s.getFile();
            case "block" -> s.getDev();
            case "dir" -> s.getDir();
            case "network" -> s.getName();
            default -> null;
        };
    }
}
