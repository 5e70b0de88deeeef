package org.jvirt.driver.jvirt.firmware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the firmware descriptors as libvirt does (qemuFirmwareFetchConfigs): the JSON files of
 * each directory, where a file name in an earlier directory hides the same name in later ones
 * (and an empty file there hides it without replacing it), all taken in the order of their names.
 */
public final class FirmwareDescriptors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FirmwareDescriptors() { }

    /** The directories libvirt searches, first wins: the host's, the user's (session only), the distribution's. */
    public static List<Path> searchPath(boolean privileged, Map<String, String> env) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of("/etc/qemu/firmware"));
        if (!privileged) {
            String config = env.get("XDG_CONFIG_HOME");
            String home = env.get("HOME");
            if (config != null && !config.isEmpty()) dirs.add(Path.of(config, "qemu", "firmware"));
            else if (home != null) dirs.add(Path.of(home, ".config", "qemu", "firmware"));
        }
        dirs.add(Path.of("/usr/share/qemu/firmware"));
        return dirs;
    }

    /** The descriptors found in dirs, in libvirt's order; an unreadable one fails naming its file. */
    public static List<FirmwareDescriptor> load(List<Path> dirs) throws IOException {
        Map<String, Path> byName = new TreeMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".json")) byName.putIfAbsent(name, f);
                }
            }
        }
        List<FirmwareDescriptor> out = new ArrayList<>();
        for (Path f : byName.values()) {
            if (Files.size(f) == 0) continue; // an empty file masks the name
            out.add(parse(f));
        }
        return out;
    }

    static FirmwareDescriptor parse(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot parse firmware descriptor '" + file + "': " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IOException("firmware descriptor '" + file + "' is not a JSON object");
        List<String> interfaces = strings(root.path("interface-types"));
        JsonNode mapping = root.path("mapping");
        String device = mapping.path("device").asText(null);
        JsonNode exec = "flash".equals(device) ? mapping.path("executable") : mapping;
        Path executable = exec.hasNonNull("filename") ? Path.of(exec.get("filename").asText()) : null;
        String execFormat = exec.path("format").asText("raw");
        JsonNode template = mapping.path("nvram-template");
        Path nvram = template.hasNonNull("filename") ? Path.of(template.get("filename").asText()) : null;
        String nvramFormat = template.path("format").asText("raw");
        List<FirmwareDescriptor.Target> targets = new ArrayList<>();
        for (JsonNode t : root.path("targets")) {
            targets.add(new FirmwareDescriptor.Target(t.path("architecture").asText(), strings(t.path("machines"))));
        }
        return new FirmwareDescriptor(file, interfaces, device, executable, execFormat, nvram, nvramFormat, targets,
                new LinkedHashSet<>(strings(root.path("features"))));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }
}
