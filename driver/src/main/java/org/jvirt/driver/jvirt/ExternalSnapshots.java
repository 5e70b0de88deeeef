package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.ExternalOverlays;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.DiskDriver;

/**
 * External (disk-only) snapshots of shut-off jvirt domains, done by the driver itself as
 * libvirt's qemuSnapshotCreateInactiveExternal runs qemu-img: each external disk gets a qcow2
 * overlay whose backing file is the disk's image, and the domain's disk switches to the overlay.
 * Deleting such a snapshot commits its overlay back into the base image; reverting to it puts a
 * new empty overlay on the base image, so that the snapshot's state stays as it was.
 */
final class ExternalSnapshots {

    private ExternalSnapshots() { }

    /**
     * Creates the overlays of the plan's external disks (unless reuse: they exist already) and
     * returns the domain definition with its disks on them. All or nothing: on a failure the
     * overlays made so far are removed again and the error says what failed.
     */
    static void create(Domain def, List<SnapshotDiskPlan.Entry> plan, boolean reuse) throws LibvirtException {
        List<Path> created = new ArrayList<>();
        try {
            for (SnapshotDiskPlan.Entry e : plan) {
                if (!e.mode().equals("external") || reuse) continue;
                Path overlay = Path.of(e.file());
                // an existing empty file may be overwritten (libvirt refuses only non-empty ones), but is not ours to remove
                boolean existed = Files.exists(overlay);
                if (existed) Files.delete(overlay);
                try {
                    ExternalOverlays.create(overlay, e.base(), format(e.baseFormat()));
                } catch (IOException | RuntimeException x) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                            "cannot create external snapshot overlay '" + overlay + "' for disk " + e.target() + ": " + x.getMessage());
                }
                if (!existed) created.add(overlay);
            }
        } catch (LibvirtException | IOException | RuntimeException x) {
            for (Path p : created) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort, as libvirt's "Failed to remove snapshot image" warning
                }
            }
            if (x instanceof LibvirtException le) throw le;
            if (x instanceof IOException io) throw JvirtErrors.io(io);
            throw (RuntimeException) x;
        }
        for (SnapshotDiskPlan.Entry e : plan) {
            if (e.mode().equals("external")) setSource(disk(def, e.target()), e.file(), e.format() == null ? "qcow2" : e.format());
        }
    }

    /** Points DISK at FILE in FORMAT (the driver element made when missing, as libvirt writes it). */
    static void setSource(Disk d, String file, String format) {
        d.getSource().setFile(file);
        if (d.getDriver() == null) {
            DiskDriver drv = new DiskDriver();
            drv.setName("qemu");
            d.setDriver(drv);
        }
        d.getDriver().setType(format);
    }

    static Disk disk(Domain def, String target) {
        if (def.getDevices() != null) {
            for (Disk d : def.getDevices().getDisks()) if (target.equals(d.getTarget().getDev())) return d;
        }
        return null;
    }

    static ImageFormat format(String name) throws LibvirtException {
        try {
            return ImageFormat.parse(name);
        } catch (IllegalArgumentException e) {
            throw SnapshotDiskPlan.unsupported("storage format '" + name + "' of a disk is not supported by jvirt (raw or qcow2)");
        }
    }

    /** The external disks of a snapshot: {target, overlay file, base file, base format} each. */
    static List<String[]> externalDisks(JvirtSnapshot s) throws LibvirtException {
        Domain at = org.jvirt.driver.def.DomainDefinition.parse(s.domainXml());
        List<String[]> out = new ArrayList<>();
        for (String[] d : s.disks()) {
            if (!"external".equals(d[1])) continue;
            Disk base = disk(at, d[0]);
            String baseFile = base == null ? null : SnapshotDiskPlan.source(base);
            if (baseFile == null || JvirtSnapshot.part(d, 4) == null) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "external snapshot '" + s.name() + "' does not record the files of disk " + d[0]);
            }
            out.add(new String[] {d[0], d[4], baseFile, SnapshotDiskPlan.diskFormat(base)});
        }
        return out;
    }

    /**
     * Checks that every external disk of S can be merged: the domain's disk is at S's overlay
     * (it is the top of the chain: nothing was stacked on it since) and the overlay's backing
     * file is the base S recorded. Nothing is changed.
     */
    static void checkMergeable(Domain current, JvirtSnapshot s) throws LibvirtException {
        for (String[] e : externalDisks(s)) {
            Disk d = disk(current, e[0]);
            String now = d == null ? null : SnapshotDiskPlan.source(d);
            if (!e[1].equals(now)) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "cannot merge external snapshot '" + s.name() + "': disk " + e[0] + " is at '" + now
                                + "', not at the snapshot's overlay '" + e[1] + "'");
            }
            String backing;
            try {
                backing = ExternalOverlays.backingFile(Path.of(e[1]));
            } catch (IOException x) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                        "cannot merge external snapshot '" + s.name() + "': " + x.getMessage());
            }
            Path resolved = backing == null ? null : Path.of(e[1]).toAbsolutePath().getParent().resolve(backing).normalize();
            if (resolved == null || !resolved.equals(Path.of(e[2]).toAbsolutePath().normalize())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "cannot merge external snapshot '" + s.name() + "': the backing file of '" + e[1] + "' is '" + backing
                                + "', not '" + e[2] + "'");
            }
        }
    }

    /**
     * Block commit of S's overlays: each overlay's clusters are written into its base, the
     * domain's disk goes back to the base (in CURRENT, which the caller stores), and the overlay
     * file is removed. The caller has run {@link #checkMergeable}.
     */
    static void merge(Domain current, JvirtSnapshot s) throws LibvirtException {
        for (String[] e : externalDisks(s)) {
            try {
                ExternalOverlays.commit(Path.of(e[1]), Path.of(e[2]), format(e[3]));
            } catch (IOException x) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                        "cannot commit '" + e[1] + "' into '" + e[2] + "': " + x.getMessage());
            }
            setSource(disk(current, e[0]), e[2], e[3]);
        }
    }

    /** Removes S's overlay files (after the config that no longer names them is stored). */
    static void removeOverlays(JvirtSnapshot s) throws LibvirtException {
        for (String[] e : externalDisks(s)) {
            try {
                Files.deleteIfExists(Path.of(e[1]));
            } catch (IOException x) {
                throw JvirtErrors.io(x);
            }
        }
    }

    /**
     * Revert to S: the domain's definition becomes S's, each external disk on a NEW empty qcow2
     * overlay over the base image S recorded (DIR/STEM.S-revertN, the first N free), so the base
     * keeps S's state for later reverts. Returns the definition to store and the overlays made.
     */
    static Domain revert(JvirtSnapshot s, List<Path> made) throws LibvirtException {
        Domain def = org.jvirt.driver.def.DomainDefinition.parse(s.domainXml());
        try {
            for (String[] e : externalDisks(s)) {
                Path overlay = revertOverlayName(Path.of(e[2]), s.name());
                try {
                    ExternalOverlays.create(overlay, Path.of(e[2]), format(e[3]));
                } catch (IOException x) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                            "cannot create overlay '" + overlay + "' to revert disk " + e[0] + ": " + x.getMessage());
                }
                made.add(overlay);
                setSource(disk(def, e[0]), overlay.toString(), "qcow2");
            }
        } catch (LibvirtException x) {
            for (Path p : made) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            made.clear();
            throw x;
        }
        return def;
    }

    private static Path revertOverlayName(Path base, String snapshot) {
        String b = base.toString();
        int dot = b.lastIndexOf('.');
        String stem = dot >= 0 && b.indexOf('/', dot) < 0 ? b.substring(0, dot) : b;
        for (int n = 1; ; n++) {
            Path p = Path.of(stem + "." + snapshot + "-revert" + n);
            if (!Files.exists(p)) return p;
        }
    }
}
