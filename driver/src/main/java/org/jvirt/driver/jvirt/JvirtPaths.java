package org.jvirt.driver.jvirt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where one jvirt URI keeps its state, laid out as libvirt's qemu driver does:
 * configs ({@code NAME.xml}) and the autostart links in {@link #configDir}, status files,
 * control sockets, pid and exit files in {@link #runDir} (gone after a reboot), one log per
 * domain in {@link #logDir}.
 *
 * <p>Every path built from a domain name goes through {@link #inside}: a name that is not a
 * plain file name (contains '/' or NUL) never becomes a path, so no name reaches outside the
 * three directories. Internal files never end in {@code .xml}, so they cannot be taken for
 * a domain, whatever its name.
 */
public record JvirtPaths(Path configDir, Path runDir, Path logDir) {

    /** The longest file name Linux file systems allow, in bytes. */
    static final int NAME_MAX = 255;

    /** True when NAME can be part of a file name (no '/', no NUL); other names have no files. */
    static boolean isFileName(String name) {
        return name != null && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }

    /** True when NAME.xml fits in one file name (255 bytes). */
    static boolean fitsFileName(String name) {
        return (name + ".xml").getBytes(StandardCharsets.UTF_8).length <= NAME_MAX;
    }

    public Path autostartDir() { return configDir.resolve("autostart"); }

    public Path config(String name) { return inside(configDir, name, ".xml"); }

    public Path autostartLink(String name) { return inside(autostartDir(), name, ".xml"); }

    public Path status(String name) { return inside(runDir, name, ".xml"); }

    /** The control socket: named by {@link #runKey} so it stays under the 107-byte unix socket path limit. */
    public Path monitor(String name) { return inside(runDir, runKey(name), ".monitor"); }

    /** libvirt's default VNC socket of a domain (its libDir's vnc.sock), short as the control socket's name. */
    public Path vncSocket(String name) { return inside(runDir, runKey(name), ".vnc"); }
    /** The VNC port a start chose for the domain, held against other starts until its VMM binds it (VncPortClaims). */
    public Path vncPortClaim(String name) { return inside(runDir, runKey(name), ".vncport"); }

    public Path pidFile(String name) { return inside(runDir, runKey(name), ".pid"); }

    public Path exitFile(String name) { return inside(runDir, runKey(name), ".exit"); }

    /** The reason of the last stop (libvirt keeps it in memory; here it outlives the client). */
    public Path shutoffFile(String name) { return inside(runDir, runKey(name), ".shutoff"); }

    /** The domain's migration settings (max downtime, speed) and its last outgoing migration's figures. */
    public Path migrationFile(String name) { return inside(runDir, runKey(name), ".migration"); }

    /** The managed save image (libvirt's qemu/save/NAME.save beside its configs). */
    public Path managedSave(String name) { return inside(configDir.resolve("save"), name, ".save"); }

    /** UEFI variable stores, NAME_VARS.fd (libvirt's /var/lib/libvirt/qemu/nvram). */
    public Path nvramDir() { return configDir.resolve("nvram"); }

    public Path log(String name) { return inside(logDir, name, ".log"); }

    /** The lock files: one per domain name, per uuid being defined, and one for short URI-wide work ({@link DomainLocks}). */
    public Path lockDir() { return runDir.resolve("locks"); }

    public Path nextIdFile() { return runDir.resolve("next-id"); }

    public Path bootIdFile() { return runDir.resolve("boot-id"); }

    /**
     * passt's sockets and pid files (PasstProcess): beside the run directory, not in it (that one
     * is private, and passt started by root binds its socket as nobody).
     */
    public Path passtDir() { return runDir.resolveSibling(runDir.getFileName() + "-passt"); }

    /**
     * A short file name for a domain's run-dir files (as libvirt's domain-ID-SHORTNAME):
     * up to 20 characters of the name, with anything but [A-Za-z0-9_-] made '_', then 16 hex
     * digits of the name's SHA-256, so two names never share one.
     */
    static String runKey(String name) {
        StringBuilder b = new StringBuilder("domain-");
        name.codePoints().limit(20).forEach(c -> b.append(
                c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? (char) c : '_'));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return b.append('-').append(HexFormat.of().formatHex(h, 0, 8)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    /** dir/NAME+suffix, refused unless it is a direct child of dir. */
    private static Path inside(Path dir, String name, String suffix) {
        if (!isFileName(name)) throw new IllegalArgumentException("domain name is not a file name: " + name);
        Path p = dir.resolve(name + suffix);
        Path parent = p.normalize().getParent();
        if (parent == null || !parent.equals(dir.normalize())) {
            throw new IllegalArgumentException("domain name leaves its directory: " + name);
        }
        return p;
    }

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
