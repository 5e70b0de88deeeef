package org.jvirt.driver.def;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;

/**
 * virDomainSnapshotAlignDisks and virDomainSnapshotDefAssignExternalNames: a snapshot request's
 * {@code <disks>} matched to the domain's disks in the domain's order, every disk given a mode,
 * and external disks without a file given libvirt's default name (the disk's path with its
 * extension replaced by the snapshot's name). Each result is {target, mode, type, driver type,
 * file}; requests are as {@link org.jvirt.driver.test.SnapshotRequest} gives them.
 */
public final class SnapshotDiskAlign {

    private SnapshotDiskAlign() { }

    /**
     * @param defaultMode  "internal" or "external" (disk-only or external memory)
     * @param requireMatch with an internal default every disk asked for must be internal (or
     *                     "no" where the domain's disk says so): hypervisors whose internal
     *                     snapshots cannot leave disks out
     */
    public static List<String[]> align(Domain def, List<String[]> requested, String snapshotName, String defaultMode,
                                       boolean requireMatch) throws LibvirtException {
        List<Disk> disks = def.getDevices() == null ? List.of() : def.getDevices().getDisks();
        if (requested.size() > disks.size()) throw unsupported("too many disk snapshot requests for domain");
        boolean match = requireMatch && defaultMode.equals("internal");
        String[][] asked = new String[disks.size()][];
        for (String[] r : requested) {
            int i = diskByName(disks, r[0]);
            if (i < 0) throw unsupported("no disk named '" + r[0] + "'");
            if (asked[i] != null) throw unsupported("disk '" + r[0] + "' specified twice");
            asked[i] = r;
        }
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            Disk d = disks.get(i);
            String[] r = asked[i];
            String own = d.getSnapshot() == null || d.getSnapshot().isEmpty() ? null : d.getSnapshot();
            String mode;
            String file = r == null ? null : part(r, 4), format = r == null ? null : part(r, 3), type = r == null ? null : part(r, 2);
            if (r != null) {
                mode = part(r, 1);
                // virDomainSnapshotDiskDefParseXML: a file or a driver without a mode means external
                if (mode == null && (file != null || format != null)) mode = "external";
                if (mode == null) {
                    mode = own != null && (!match || own.equals("no")) ? own : defaultMode;
                } else if (match && !mode.equals(defaultMode) && !(mode.equals("no") && "no".equals(own))) {
                    throw unsupported("disk '" + r[0] + "' must use snapshot mode '" + defaultMode + "'");
                }
                if (file != null && !mode.equals("external")) {
                    throw unsupported("file '" + file + "' for disk '" + r[0] + "' requires use of external snapshot mode");
                }
            } else if (source(d) == null || !writable(d)) {
                mode = "no"; // empty drives, and (as jvirt has always done) read-only media, are left alone
            } else {
                mode = own != null ? own : defaultMode;
            }
            out.add(new String[] {d.getTarget().getDev(), mode, type == null ? "file" : type, format, file});
        }
        assignNames(out, disks, snapshotName);
        return out;
    }

    private static void assignNames(List<String[]> out, List<Disk> disks, String name) throws LibvirtException {
        for (int i = 0; i < out.size(); i++) {
            String[] e = out.get(i);
            if (!e[1].equals("external") || e[4] != null) continue;
            if (!e[2].equals("file")) {
                throw unsupported("cannot generate external snapshot name for disk '" + e[0] + "' on a '" + e[2] + "' device");
            }
            String orig = source(disks.get(i));
            if (orig == null) throw unsupported("cannot generate external snapshot name for disk '" + e[0] + "' without source");
            if (!Files.isRegularFile(Path.of(orig))) {
                throw unsupported("source for disk '" + e[0] + "' is not a regular file; refusing to generate external snapshot name");
            }
            int dot = orig.lastIndexOf('.');
            String stem = dot >= 0 && orig.indexOf('/', dot) < 0 ? orig.substring(0, dot) : orig;
            e[4] = stem + "." + name;
            for (int j = 0; j < i; j++) {
                if (e[4].equals(out.get(j)[4])) {
                    throw unsupported("cannot generate external snapshot name for disk '" + e[0] + "': collision with disk '"
                            + out.get(j)[0] + "'");
                }
            }
        }
    }

    /** virDomainDiskByName: a target name, or the disk's source path. */
    private static int diskByName(List<Disk> disks, String name) {
        for (int i = 0; i < disks.size(); i++) if (name.equals(disks.get(i).getTarget().getDev())) return i;
        for (int i = 0; i < disks.size(); i++) if (name.equals(source(disks.get(i)))) return i;
        return -1;
    }

    public static String source(Disk d) {
        if (d.getSource() == null) return null;
        return d.getSource().getFile() != null ? d.getSource().getFile() : d.getSource().getDev();
    }

    public static boolean writable(Disk d) {
        return d.getReadonlyMarker() == null && !"cdrom".equals(d.getDevice()) && !"floppy".equals(d.getDevice());
    }

    /**
     * virDomainSnapshotDiskDefFormat for an entry {target, mode, type, driver type, file}: a
     * disk with a file or a driver type also has its storage type, driver and source.
     */
    public static void formatDisk(StringBuilder b, String[] d) {
        b.append("    <disk name='").append(escape(d[0])).append('\'');
        if (part(d, 1) != null) b.append(" snapshot='").append(d[1]).append('\'');
        String type = part(d, 2), driver = part(d, 3), file = part(d, 4);
        if (file == null && driver == null) {
            b.append("/>\n");
            return;
        }
        String storage = type == null ? "file" : type;
        b.append(" type='").append(escape(storage)).append("'>\n");
        if (driver != null) b.append("      <driver type='").append(escape(driver)).append("'/>\n");
        if (file != null) {
            b.append("      <source ").append(storage.equals("block") ? "dev" : "file").append("='").append(escape(file)).append("'/>\n");
        }
        b.append("    </disk>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;");
    }

    /** Part I of a disk entry, null when absent or empty. */
    public static String part(String[] d, int i) {
        return i < d.length && d[i] != null && !d[i].isEmpty() ? d[i] : null;
    }

    private static LibvirtException unsupported(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT, what);
    }
}
