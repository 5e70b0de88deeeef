package org.jvirt.driver.jvirt;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where one jvirt URI keeps its state, laid out as libvirt's qemu driver does:
 * configs ({@code NAME.xml}) and the autostart links in {@link #configDir}, status files,
 * control sockets, pid and exit files in {@link #runDir} (gone after a reboot), one log per
 * domain in {@link #logDir}.
 */
public record JvirtPaths(Path configDir, Path runDir, Path logDir) {

    public Path autostartDir() { return configDir.resolve("autostart"); }

    public Path config(String name) { return configDir.resolve(name + ".xml"); }

    public Path autostartLink(String name) { return autostartDir().resolve(name + ".xml"); }

    public Path status(String name) { return runDir.resolve(name + ".xml"); }

    public Path monitor(String name) { return runDir.resolve(name + ".monitor"); }

    public Path pidFile(String name) { return runDir.resolve(name + ".pid"); }

    public Path exitFile(String name) { return runDir.resolve(name + ".exit"); }

    /** The reason of the last stop (libvirt keeps it in memory; here it outlives the client). */
    public Path shutoffFile(String name) { return runDir.resolve(name + ".shutoff"); }

    public Path log(String name) { return logDir.resolve(name + ".log"); }

    /** The lock every mutation holds (define, undefine, start, stop, reaping a dead VMM). */
    public Path lockFile() { return configDir.resolve(".jvirt.lock"); }

    public Path nextIdFile() { return runDir.resolve("next-id"); }

    public Path bootIdFile() { return runDir.resolve("boot-id"); }

    /** jvirt:///session: $XDG_CONFIG_HOME/jvirt, $XDG_RUNTIME_DIR/jvirt (else ~/.cache/jvirt/run), ~/.cache/jvirt/log. */
    public static JvirtPaths session(Map<String, String> env, String home) {
        Path config = xdg(env, "XDG_CONFIG_HOME", home, ".config").resolve("jvirt");
        Path cache = xdg(env, "XDG_CACHE_HOME", home, ".cache").resolve("jvirt");
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path run = runtime != null && !runtime.isEmpty() ? Path.of(runtime, "jvirt") : cache.resolve("run");
        return new JvirtPaths(config, run, cache.resolve("log"));
    }

    /** jvirt:///system: /etc/jvirt, /run/jvirt, /var/log/jvirt. */
    public static JvirtPaths system() {
        return new JvirtPaths(Path.of("/etc/jvirt"), Path.of("/run/jvirt"), Path.of("/var/log/jvirt"));
    }

    /** jvirt:///embed?root=DIR: everything under DIR. */
    public static JvirtPaths embed(Path root) {
        return new JvirtPaths(root.resolve("config"), root.resolve("run"), root.resolve("log"));
    }

    private static Path xdg(Map<String, String> env, String var, String home, String fallback) {
        String v = env.get(var);
        return v != null && !v.isEmpty() ? Path.of(v) : Path.of(home, fallback);
    }
}
