package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.SnapshotDiskAlign;
import org.jvirt.driver.test.SnapshotRequest;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;

/**
 * What a new snapshot of a shut-off domain does to each of its disks, decided as libvirt's
 * qemu driver decides it: the request's {@code <disks>} aligned to the domain's disks
 * (virDomainSnapshotAlignDisks), default overlay names (virDomainSnapshotDefAssignExternalNames:
 * the disk's path with its extension replaced by the snapshot's name), and the checks of
 * qemuSnapshotPrepare and qemuSnapshotPrepareDiskExternal, in libvirt's words.
 */
final class SnapshotDiskPlan {

    /** One disk: target, mode ("internal", "external", "no"), and for an external one its overlay and base. */
    record Entry(String target, String mode, String format, String file, String type, Path base, String baseFormat) {
        String[] metadata() {
            // qemuSnapshotPrepare: an external disk without a format gets qcow2
            return "external".equals(mode) ? new String[] {target, mode, type, format == null ? "qcow2" : format, file}
                    : new String[] {target, mode};
        }
    }

    private SnapshotDiskPlan() { }

    /**
     * The per-disk plan (virDomainSnapshotAlignDisks with the qemu driver's uniform internal
     * snapshots). defaultMode is "external" for a disk-only request, "internal" otherwise.
     */
    static List<Entry> align(Domain def, SnapshotRequest req, String name, String defaultMode) throws LibvirtException {
        List<Disk> disks = def.getDevices() == null ? List.of() : def.getDevices().getDisks();
        List<Entry> out = new ArrayList<>();
        List<String[]> aligned = SnapshotDiskAlign.align(def, req.disks(), name, defaultMode, true);
        for (int i = 0; i < aligned.size(); i++) {
            String[] a = aligned.get(i);
            Disk d = disks.get(i);
            out.add(new Entry(a[0], a[1], a[3], a[4], a[2], source(d) == null ? null : Path.of(source(d)), diskFormat(d)));
        }
        return out;
    }

    /**
     * qemuSnapshotPrepare for a shut-off domain: formats, read-only disks, existing files,
     * and what may be mixed. Returns true when the snapshot is external (disk-only).
     */
    static boolean prepare(Domain def, List<Entry> plan, boolean reuse, boolean memory, boolean diskOnly) throws LibvirtException {
        List<Disk> disks = def.getDevices() == null ? List.of() : def.getDevices().getDisks();
        boolean foundInternal = false, forbidInternal = false;
        int external = 0;
        Set<String> files = new HashSet<>();
        for (int i = 0; i < plan.size(); i++) {
            Entry e = plan.get(i);
            Disk d = disks.get(i);
            switch (e.mode()) {
                case "internal" -> {
                    foundInternal = true;
                    String f = diskFormat(d);
                    if (!f.equals("qcow2")) {
                        throw unsupported("internal snapshot for disk " + e.target() + " unsupported for storage type " + f);
                    }
                }
                case "external" -> {
                    if (e.format() != null && !e.format().equals("qcow2")) {
                        // libvirt also takes qed; jvirt writes qcow2 overlays only
                        throw unsupported("external snapshot format for disk " + e.target() + " is unsupported: " + e.format());
                    }
                    if (!writable(d) && !reuse) {
                        throw unsupported("external snapshot for readonly disk " + e.target() + " is not supported");
                    }
                    if (!e.type().equals("file") || !"file".equals(d.getType() == null ? "file" : d.getType())) {
                        String t = !e.type().equals("file") ? e.type() : d.getType();
                        throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                                "external inactive snapshots are not supported on '" + t + "' disks");
                    }
                    checkTarget(e, reuse);
                    if (!files.add(e.file())) {
                        throw unsupported("cannot generate external snapshot name for disk '" + e.target() + "': collision with another disk");
                    }
                    external++;
                }
                case "no" -> {
                    if (source(d) != null && writable(d)) forbidInternal = true;
                }
                default -> throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                        "unexpected code path");
            }
        }
        // jvirt takes an internal snapshot of a shut-off domain without disks (metadata only), as it always has
        if (!foundInternal && external == 0 && !memory && diskOnly) {
            throw unsupported("nothing selected for snapshot");
        }
        if (foundInternal && forbidInternal) {
            throw unsupported("internal and full system snapshots require all disks to be selected for snapshot");
        }
        if (foundInternal && external > 0) {
            throw unsupported("mixing internal and external targets for a snapshot is not yet supported");
        }
        return external > 0;
    }

    /** qemuSnapshotPrepareDiskExternal's look at the overlay file. */
    private static void checkTarget(Entry e, boolean reuse) throws LibvirtException {
        Path p = Path.of(e.file());
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException x) {
            if (reuse) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                        "missing existing file for disk " + e.target() + ": " + e.file() + ": No such file or directory");
            }
            return;
        } catch (IOException x) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "unable to stat for disk " + e.target() + ": " + e.file() + ": " + x.getMessage());
        }
        if (!a.isOther() && a.size() > 0 && !reuse) {
            throw unsupported("external snapshot file for disk " + e.target() + " already exists and is not a block device: " + e.file());
        }
    }

    static String source(Disk d) {
        return SnapshotDiskAlign.source(d);
    }

    static boolean writable(Disk d) {
        return SnapshotDiskAlign.writable(d);
    }

    /** The disk's format; raw when it names none, as libvirt assumes. */
    static String diskFormat(Disk d) {
        return d.getDriver() == null || d.getDriver().getType() == null ? "raw" : d.getDriver().getType();
    }

    static LibvirtException unsupported(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, what);
    }
}
