package org.jvirt.driver.jvirt.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.jvirt.AtomicFiles;
import org.jvirt.driver.objxml.PoolDef;

/**
 * The pools of one URI, read from their files on every call (no state in memory, so every
 * client of the URI sees the same pools): configs make a pool persistent, status files active.
 */
final class PoolStore {

    private final StoragePaths paths;
    private final Supplier<UUID> uuids;

    PoolStore(StoragePaths paths, Supplier<UUID> uuids) {
        this.paths = paths;
        this.uuids = uuids;
    }

    static LibvirtException io(IOException e) {
        return new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                e.getMessage() == null ? e.toString() : e.getMessage());
    }

    List<StoredPool> all() throws LibvirtException {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(xmlNames(paths.configDir()));
        names.addAll(xmlNames(paths.stateDir()));
        List<StoredPool> out = new ArrayList<>();
        for (String n : names) {
            StoredPool p = load(n);
            if (p != null) out.add(p);
        }
        return out;
    }

    private static List<String> xmlNames(Path dir) throws LibvirtException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path p : s) {
                String f = p.getFileName().toString();
                if (Files.isRegularFile(p)) out.add(f.substring(0, f.length() - 4));
            }
        } catch (IOException e) {
            throw io(e);
        }
        return out;
    }

    /** The pool NAME, or null when it has no files. */
    StoredPool load(String name) throws LibvirtException {
        if (name.contains("/")) return null;
        try {
            String state = AtomicFiles.readOrNull(paths.state(name));
            String config = AtomicFiles.readOrNull(paths.config(name));
            String xml = state != null ? state : config;
            if (xml == null) return null;
            return new StoredPool(PoolDef.parse(xml, uuids), state != null, config != null,
                    Files.exists(paths.autostartLink(name), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw io(e);
        }
    }

    StoredPool byName(String name) throws LibvirtException {
        StoredPool p = load(name);
        if (p == null) throw noPool("no storage pool with matching name '" + name + "'");
        return p;
    }

    static LibvirtException noPool(String info) {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorDomain.VIR_FROM_STORAGE, info);
    }

    /** The definition as libvirt writes a pool's files (sizes zero: they are measured, not kept). */
    private static String text(PoolDef def) {
        return def.format(0, 0, 0);
    }

    void writeConfig(PoolDef def) throws LibvirtException {
        write(paths.config(def.name()), text(def));
    }

    void writeState(PoolDef def) throws LibvirtException {
        write(paths.state(def.name()), text(def));
    }

    private static void write(Path file, String text) throws LibvirtException {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, text);
        } catch (IOException e) {
            throw io(e);
        }
    }

    void deleteConfig(String name) throws LibvirtException {
        setAutostart(name, false);
        delete(paths.config(name));
    }

    void deleteState(String name) throws LibvirtException {
        delete(paths.state(name));
    }

    /** The volume names a running pool knows (libvirt's pool object's volume list), in the order found. */
    List<String> volumes(String name) throws LibvirtException {
        try {
            String text = AtomicFiles.readOrNull(paths.volumes(name));
            List<String> out = new ArrayList<>();
            if (text != null) for (String n : text.split("\n")) if (!n.isEmpty()) out.add(n);
            return out;
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** Replaces the list (null: the pool stopped, it knows none). */
    void setVolumes(String name, List<String> names) throws LibvirtException {
        if (names == null) delete(paths.volumes(name));
        else write(paths.volumes(name), names.isEmpty() ? "" : String.join("\n", names) + "\n");
    }

    /** The XML a stopped pool showed when it stopped, or null (never started since boot, or redefined). */
    String lastRefresh(String name) throws LibvirtException {
        try {
            return AtomicFiles.readOrNull(paths.lastRefresh(name));
        } catch (IOException e) {
            throw io(e);
        }
    }

    void setLastRefresh(String name, String xml) throws LibvirtException {
        if (xml == null) delete(paths.lastRefresh(name));
        else write(paths.lastRefresh(name), xml);
    }

    private static void delete(Path file) throws LibvirtException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** The autostart link to the config, as libvirt's storage/autostart/NAME.xml. */
    void setAutostart(String name, boolean on) throws LibvirtException {
        Path link = paths.autostartLink(name);
        try {
            if (!on) {
                Files.deleteIfExists(link);
            } else if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, paths.config(name));
            }
        } catch (IOException e) {
            throw io(e);
        }
    }
}
