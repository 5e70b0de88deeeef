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
     * The per-disk plan. defaultMode is "external" for a disk-only request, "internal" otherwise;
     * reuse is REUSE_EXT (the overlays must exist and are used as they are).
     */
    static List<Entry> align(Domain def, SnapshotRequest req, String name, String defaultMode, boolean reuse)
            throws LibvirtException {
        List<Disk> disks = def.getDevices() == null ? List.of() : def.getDevices().getDisks();
        if (req.disks().size() > disks.size()) throw unsupported("too many disk snapshot requests for domain");
        String[][] asked = new String[disks.size()][];
        for (String[] r : req.disks()) {
            int i = diskByName(disks, r[0]);
            if (i < 0) throw unsupported("no disk named '" + r[0] + "'");
            if (asked[i] != null) throw unsupported("disk '" + r[0] + "' specified twice");
            asked[i] = r;
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            Disk d = disks.get(i);
            String[] r = asked[i];
            String mode;
            String file = r == null ? null : JvirtSnapshot.part(r, 4);
            String format = r == null ? null : JvirtSnapshot.part(r, 3);
            String type = r == null ? null : JvirtSnapshot.part(r, 2);
            if (r != null && JvirtSnapshot.part(r, 1) != null) {
                mode = r[1];
            } else if (r != null && (file != null || format != null)) {
                mode = "external"; // virDomainSnapshotDiskDefParseXML: a file or driver means external
            } else if (source(d) == null || !writable(d)) {
                mode = "no"; // empty drives and read-only media are left alone
            } else if (d.getSnapshot() != null && !d.getSnapshot().isEmpty()) {
                mode = d.getSnapshot();
            } else {
                mode = defaultMode;
            }
            if (file != null && !mode.equals("external")) {
                throw unsupported("file '" + file + "' for disk '" + r[0] + "' requires use of external snapshot mode");
            }
            out.add(new Entry(d.getTarget().getDev(), mode, format, file, type == null ? "file" : type,
                    source(d) == null ? null : Path.of(source(d)), diskFormat(d)));
        }
        return assignNames(out, disks, name);
    }

    /** virDomainSnapshotDefAssignExternalNames: DIR/STEM.EXT becomes DIR/STEM.NAME. */
    private static List<Entry> assignNames(List<Entry> in, List<Disk> disks, String name) throws LibvirtException {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Entry e = in.get(i);
            if (!e.mode().equals("external") || e.file() != null) {
                out.add(e);
                continue;
            }
            if (!e.type().equals("file")) {
                throw unsupported("cannot generate external snapshot name for disk '" + e.target() + "' on a '" + e.type() + "' device");
            }
            String orig = source(disks.get(i));
            if (orig == null) {
                throw unsupported("cannot generate external snapshot name for disk '" + e.target() + "' without source");
            }
            if (!Files.isRegularFile(Path.of(orig))) {
                throw unsupported("source for disk '" + e.target() + "' is not a regular file; refusing to generate external snapshot name");
            }
            int dot = orig.lastIndexOf('.');
            String stem = dot >= 0 && orig.indexOf('/', dot) < 0 ? orig.substring(0, dot) : orig;
            String file = stem + "." + name;
            for (Entry prev : out) {
                if (file.equals(prev.file())) {
                    throw unsupported("cannot generate external snapshot name for disk '" + e.target() + "': collision with disk '"
                            + prev.target() + "'");
                }
            }
            out.add(new Entry(e.target(), e.mode(), e.format(), file, e.type(), e.base(), e.baseFormat()));
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

    /** virDomainDiskByName: a target name, or the disk's source path. */
    private static int diskByName(List<Disk> disks, String name) {
        for (int i = 0; i < disks.size(); i++) if (name.equals(disks.get(i).getTarget().getDev())) return i;
        for (int i = 0; i < disks.size(); i++) if (name.equals(source(disks.get(i)))) return i;
        return -1;
    }

    static String source(Disk d) {
        if (d.getSource() == null) return null;
        return d.getSource().getFile() != null ? d.getSource().getFile() : d.getSource().getDev();
    }

    static boolean writable(Disk d) {
        return d.getReadonlyMarker() == null && !"cdrom".equals(d.getDevice()) && !"floppy".equals(d.getDevice());
    }

    /** The disk's format; raw when it names none, as libvirt assumes. */
    static String diskFormat(Disk d) {
        return d.getDriver() == null || d.getDriver().getType() == null ? "raw" : d.getDriver().getType();
    }

    static LibvirtException unsupported(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, what);
    }
}
