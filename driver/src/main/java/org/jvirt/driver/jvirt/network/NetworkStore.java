package org.jvirt.driver.jvirt.network;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.jvirt.AtomicFiles;
import org.jvirt.driver.objxml.NetworkDef;

/**
 * The networks of one URI, read from their files on every call (nothing in memory, so every
 * client of the URI, in any process, sees the same networks): a config makes a network
 * persistent, a status file active.
 */
final class NetworkStore {

    /** The warning libvirt writes at the top of the files it keeps (virXMLSaveFile). */
    private static final String HEADER = "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
            + "OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  virsh net-edit %s\n"
            + "or other application using the libvirt API.\n-->\n\n";

    final NetworkPaths paths;

    NetworkStore(NetworkPaths paths) {
        this.paths = paths;
    }

    static LibvirtException io(IOException e) {
        return new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                e.getMessage() == null ? e.toString() : e.getMessage());
    }

    static LibvirtException noNetwork(String info) {
        return new LibvirtException(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_NETWORK, info);
    }

    List<StoredNetwork> all() throws LibvirtException {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(xmlNames(paths.configDir()));
        names.addAll(xmlNames(paths.stateDir()));
        List<StoredNetwork> out = new ArrayList<>();
        for (String n : names) {
            StoredNetwork s = load(n);
            if (s != null) out.add(s);
        }
        return out;
    }

    private static List<String> xmlNames(Path dir) throws LibvirtException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path p : s) {
                String f = p.getFileName().toString();
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) out.add(f.substring(0, f.length() - 4));
            }
        } catch (IOException e) {
            throw io(e);
        }
        return out;
    }

    /** The network NAME, or null when it has no files (or its files do not parse: skipped with a warning). */
    StoredNetwork load(String name) throws LibvirtException {
        if (name.isEmpty() || name.contains("/") || name.contains("\0")) return null;
        try {
            String state = AtomicFiles.readOrNull(paths.state(name));
            String config = AtomicFiles.readOrNull(paths.config(name));
            if (state == null && config == null) return null;
            NetworkDef configDef = config == null ? null : parse(config);
            NetworkDef stateDef = state == null ? null : parse(state);
            return new StoredNetwork(stateDef != null ? stateDef : configDef, configDef, stateDef != null,
                    Files.exists(paths.autostartLink(name), LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw io(e);
        } catch (LibvirtException e) {
            System.err.println("jvirt: skipping network '" + name + "': its file does not parse: " + e.getMessage());
            return null;
        }
    }

    private static NetworkDef parse(String xml) throws LibvirtException {
        return NetworkDef.parse(xml, () -> {
            throw new IllegalStateException("a stored network without a uuid");
        });
    }

    StoredNetwork byName(String name) throws LibvirtException {
        StoredNetwork n = load(name);
        if (n == null) throw noNetwork("no network with matching name '" + name + "'");
        return n;
    }

    StoredNetwork byUuid(String uuid) throws LibvirtException {
        for (StoredNetwork n : all()) if (n.def().uuid().equals(uuid)) return n;
        return null;
    }

    void writeConfig(NetworkDef def) throws LibvirtException {
        write(paths.config(def.name()), String.format(HEADER, def.name()) + def.format());
    }

    void writeState(NetworkDef def) throws LibvirtException {
        write(paths.state(def.name()), String.format(HEADER, def.name()) + def.format());
    }

    static void write(Path file, String text) throws LibvirtException {
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

    static void delete(Path file) throws LibvirtException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** The autostart link to the config, as libvirt's networks/autostart/NAME.xml. */
    void setAutostart(String name, boolean on) throws LibvirtException {
        Path link = paths.autostartLink(name);
        try {
            if (!on) {
                Files.deleteIfExists(link);
            } else if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, paths.config(name));
            }
        } catch (IOException e) {
            throw io(e);
        }
    }
}
