package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * A domain's snapshot metadata on disk, as libvirt keeps /var/lib/libvirt/qemu/snapshot/NAME/:
 * CONFIG/snapshot/DOMAIN/SNAP.xml, one file per snapshot, the current one marked with
 * {@code <active>1</active>} as libvirt's internal format does. Callers hold the domain's lock
 * for changes; each file is written atomically.
 */
final class SnapshotMetadata {

    private static final String ACTIVE = "  <active>1</active>\n";

    private final Path dir;
    private final TreeMap<String, JvirtSnapshot> byName = new TreeMap<>();
    private String current;

    private SnapshotMetadata(Path dir) {
        this.dir = dir;
    }

    static Path dir(JvirtPaths paths, String domain) {
        return paths.configDir().resolve("snapshot").resolve(domain);
    }

    /** The metadata of DOMAIN (empty when it has none). */
    static SnapshotMetadata load(JvirtPaths paths, String domain) throws LibvirtException {
        SnapshotMetadata m = new SnapshotMetadata(dir(paths, domain));
        if (!Files.isDirectory(m.dir)) return m;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(m.dir, "*.xml")) {
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) continue;
                String text = AtomicFiles.readOrNull(f);
                if (text == null) continue;
                JvirtSnapshot s;
                try {
                    s = JvirtSnapshot.parse(text.replace(ACTIVE, ""));
                } catch (LibvirtException e) {
                    // a damaged file costs its snapshot, not the domain's others (warned once, as damaged configs are)
                    DamagedFiles.skipped(paths, domain, f, e.getMessage());
                    continue;
                }
                m.byName.put(s.name(), s);
                if (text.contains(ACTIVE)) m.current = s.name();
            }
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
        return m;
    }

    /** How many snapshots DOMAIN has (its metadata files), without parsing them. */
    static int count(JvirtPaths paths, String domain) {
        Path dir = dir(paths, domain);
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path f : files) if (!f.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) n++;
        } catch (IOException e) {
            return 0;
        }
        return n;
    }

    /** Removes DOMAIN's snapshot directory (metadata and state files; the disks keep their snapshots). */
    static void removeAll(JvirtPaths paths, String domain) throws IOException {
        Path dir = dir(paths, domain);
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }

    JvirtSnapshot get(String name) {
        return byName.get(name);
    }

    /** The snapshot NAME, or libvirt's "no domain snapshot with matching name". */
    JvirtSnapshot require(String name) throws LibvirtException {
        JvirtSnapshot s = byName.get(name);
        if (s == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
                    "no domain snapshot with matching name '" + name + "'");
        }
        return s;
    }

    List<JvirtSnapshot> all() {
        return new ArrayList<>(byName.values());
    }

    JvirtSnapshot current() {
        return current == null ? null : byName.get(current);
    }

    List<JvirtSnapshot> children(String parent) {
        List<JvirtSnapshot> out = new ArrayList<>();
        for (JvirtSnapshot s : byName.values()) if (parent.equals(s.parent())) out.add(s);
        return out;
    }

    /** Stores S (new or changed). */
    void put(JvirtSnapshot s) throws IOException {
        byName.put(s.name(), s);
        write(s);
    }

    void remove(String name) throws IOException {
        byName.remove(name);
        if (name.equals(current)) current = null;
        AtomicFiles.delete(file(name));
    }

    /** Makes NAME (or none) the current snapshot, rewriting the files whose mark changes. */
    void setCurrent(String name) throws IOException {
        String old = current;
        current = name;
        if (old != null && !old.equals(name) && byName.containsKey(old)) write(byName.get(old));
        if (name != null) write(byName.get(name));
    }

    private void write(JvirtSnapshot s) throws IOException {
        PrivateDirs.ensure(dir);
        String text = s.format();
        if (s.name().equals(current)) text = text.replace("</domainsnapshot>\n", ACTIVE + "</domainsnapshot>\n");
        AtomicFiles.write(file(s.name()), text);
    }

    private Path file(String name) {
        return dir.resolve(name + ".xml");
    }
}
