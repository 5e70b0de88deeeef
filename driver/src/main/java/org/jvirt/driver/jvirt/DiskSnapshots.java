package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.block.qcow2.Qcow2Image;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;

/**
 * Internal qcow2 snapshots of a shut-off domain's disks, taken from the driver process as
 * libvirt's qemu driver runs {@code qemu-img snapshot -c/-a/-d} while no QEMU runs: every
 * writable disk gets a snapshot carrying the libvirt snapshot's name.
 */
final class DiskSnapshots {

    private DiskSnapshots() { }

    /** virDomainSnapshotAlignDisks for an internal snapshot: {target, "internal" or "no"} per disk. */
    static List<String[]> align(Domain def) {
        List<String[]> out = new ArrayList<>();
        if (def.getDevices() == null) return out;
        for (Disk d : def.getDevices().getDisks()) {
            out.add(new String[] {d.getTarget().getDev(), writable(d) ? "internal" : "no"});
        }
        return out;
    }

    private static boolean writable(Disk d) {
        return d.getReadonlyMarker() == null && !"cdrom".equals(d.getDevice()) && !"floppy".equals(d.getDevice())
                && source(d) != null;
    }

    private static String source(Disk d) {
        if (d.getSource() == null) return null;
        return d.getSource().getFile() != null ? d.getSource().getFile() : d.getSource().getDev();
    }

    /** The files of the disks that take an internal snapshot; a writable non-qcow2 disk is refused with libvirt's words. */
    static List<Path> internalImages(Domain def) throws LibvirtException {
        List<Path> out = new ArrayList<>();
        if (def.getDevices() == null) return out;
        for (Disk d : def.getDevices().getDisks()) {
            if (!writable(d)) continue;
            // no <driver type>: raw, as libvirt assumes
            String format = d.getDriver() == null || d.getDriver().getType() == null ? "raw" : d.getDriver().getType();
            if (!format.equals("qcow2")) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "internal snapshot for disk " + d.getTarget().getDev() + " unsupported for storage type " + format);
            }
            out.add(Path.of(source(d)));
        }
        return out;
    }

    /** Creates NAME in every image; on a failure the ones already made are deleted again (libvirt's rollback). */
    static void create(List<Path> images, String name) throws LibvirtException {
        List<Path> done = new ArrayList<>();
        try {
            for (Path p : images) {
                try (Qcow2Image img = open(p)) {
                    img.createSnapshot(name, 0);
                }
                done.add(p);
            }
        } catch (IOException e) {
            for (Path p : done) {
                try (Qcow2Image img = open(p)) {
                    img.deleteSnapshot(name);
                } catch (IOException ignored) {
                    // best effort, as libvirt's rollback
                }
            }
            throw failed("create", name, e);
        }
    }

    static void apply(List<Path> images, String name) throws LibvirtException {
        for (Path p : images) {
            try (Qcow2Image img = open(p)) {
                img.applySnapshot(name);
            } catch (IOException e) {
                throw failed("revert to", name, e);
            }
        }
    }

    /** Deletes NAME from every image that has it (libvirt tries all disks on delete). */
    static void delete(List<Path> images, String name) throws LibvirtException {
        IOException first = null;
        for (Path p : images) {
            try (Qcow2Image img = open(p)) {
                if (img.snapshots().stream().anyMatch(s -> name.equals(s.name()))) img.deleteSnapshot(name);
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw failed("delete", name, first);
    }

    private static Qcow2Image open(Path p) throws IOException {
        return (Qcow2Image) DiskImages.open(p, ImageFormat.QCOW2, false);
    }

    private static LibvirtException failed(String what, String name, IOException e) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                "cannot " + what + " internal snapshot '" + name + "': " + e.getMessage());
    }
}
