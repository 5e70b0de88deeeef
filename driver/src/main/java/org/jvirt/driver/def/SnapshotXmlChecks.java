package org.jvirt.driver.def;

import java.util.Set;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.test.SnapshotRequest;

/**
 * The checks virDomainSnapshotDefParse makes on a new snapshot's {@code <memory>} and
 * {@code <disks>}, in libvirt's order and words. OFFLINE: the domain is shut off or the snapshot
 * is disk-only (VIR_DOMAIN_SNAPSHOT_PARSE_OFFLINE), where no memory state can be saved.
 */
public final class SnapshotXmlChecks {

    private SnapshotXmlChecks() { }

    private static final Set<String> LOCATIONS = Set.of("no", "internal", "external", "manual");

    /** virStorageFileFormat's names (what a snapshot disk's driver type may name). */
    private static final Set<String> FORMATS = Set.of("raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat",
            "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");

    public static void check(SnapshotRequest req, boolean offline) throws LibvirtException {
        String memory = req.memory() == null || req.memory().isEmpty() ? null : req.memory();
        String file = req.memoryFile();
        if (memory != null && !LOCATIONS.contains(memory)) throw invalidValue("memory", memory);
        if ("manual".equals(memory)) throw xml("'manual' memory snapshot mode not supported");
        if (memory == null && file != null) memory = "external";
        if (file != null && !"external".equals(memory)) throw xml("memory filename '" + file + "' requires external snapshot");
        if (file == null && "external".equals(memory)) throw xml("external memory snapshots require a filename");
        if (offline && memory != null && !memory.equals("no")) {
            throw xml("memory state cannot be saved with offline or disk-only snapshot");
        }
        if (file != null && !file.startsWith("/")) throw xml("memory snapshot file path (" + file + ") must be absolute");
        for (String[] d : req.disks()) {
            if (d[0] == null || d[0].isEmpty()) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                        "missing name from disk snapshot element");
            }
            String mode = SnapshotDiskAlign.part(d, 1);
            if (mode != null && !LOCATIONS.contains(mode)) throw invalidValue("disk", mode);
            String type = SnapshotDiskAlign.part(d, 2);
            if (type != null && (type.equals("volume") || type.equals("dir"))) {
                throw xml("unsupported disk snapshot type '" + type + "'");
            }
            String driver = SnapshotDiskAlign.part(d, 3);
            if (driver != null && !FORMATS.contains(driver)) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                        "unknown disk snapshot driver '" + driver + "'");
            }
            String path = SnapshotDiskAlign.part(d, 4);
            if (path != null && !path.startsWith("/")) throw xml("disk snapshot image path '" + path + "' must be absolute");
        }
    }

    /** virXMLPropEnum's words for a value outside the enum. */
    private static LibvirtException invalidValue(String element, String value) {
        return new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                "Invalid value for attribute 'snapshot' in element '" + element + "': '" + value + "'.");
    }

    private static LibvirtException xml(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT, what);
    }
}
