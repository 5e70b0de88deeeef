package org.jvirt.daemon.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where jvirtd looks for its files when the config does not say: libvirtd's places for the
 * sockets and the PKI files (clients find them there), jvirt's own for the config file and the
 * log. With a root directory ({@code jvirtd --root DIR}) every one lives under DIR, so tests never
 * touch system paths or a libvirtd running beside.
 *
 * @param configFile  system /etc/jvirt/jvirtd.conf, session $XDG_CONFIG_HOME/jvirt/jvirtd.conf, DIR/etc/jvirtd.conf
 * @param unixSockDir system /run/libvirt (libvirt's runstatedir on Debian; /var/run links to it),
 *                    session $XDG_RUNTIME_DIR/libvirt (else ~/.cache/libvirt, as libvirt), DIR/run/libvirt
 * @param caFile      /etc/pki/CA/cacert.pem (DIR/etc/pki/CA/cacert.pem)
 * @param certFile    /etc/pki/libvirt/servercert.pem (DIR/etc/pki/libvirt/servercert.pem)
 * @param keyFile     /etc/pki/libvirt/private/serverkey.pem (DIR/etc/pki/libvirt/private/serverkey.pem)
 * @param logFile     where a daemonized jvirtd logs without log_outputs: /var/log/jvirt/jvirtd.log,
 *                    session ~/.cache/jvirt/log/jvirtd.log, DIR/log/jvirtd.log
 * @param pidFile     /run/jvirtd.pid, session $XDG_RUNTIME_DIR/libvirt/jvirtd.pid (beside libvirtd's), DIR/run/jvirtd.pid
 */
public record DaemonPaths(Path configFile, Path unixSockDir, Path caFile, Path certFile, Path keyFile,
                          Path logFile, Path pidFile) {

    /** All under {@code root}. */
    public static DaemonPaths underRoot(Path root) {
        Path pki = root.resolve("etc/pki");
        return new DaemonPaths(root.resolve("etc/jvirtd.conf"), root.resolve("run/libvirt"),
                pki.resolve("CA/cacert.pem"), pki.resolve("libvirt/servercert.pem"),
                pki.resolve("libvirt/private/serverkey.pem"), root.resolve("log/jvirtd.log"),
                root.resolve("run/jvirtd.pid"));
    }

    /** The system daemon's (run as root). */
    public static DaemonPaths system() {
        Path pki = Path.of("/etc/pki");
        return new DaemonPaths(Path.of("/etc/jvirt/jvirtd.conf"), Path.of("/run/libvirt"),
                pki.resolve("CA/cacert.pem"), pki.resolve("libvirt/servercert.pem"),
                pki.resolve("libvirt/private/serverkey.pem"), Path.of("/var/log/jvirt/jvirtd.log"),
                Path.of("/run/jvirtd.pid"));
    }

    /**
     * A session daemon's (run as a user). The PKI files are the user's ~/.pki/libvirt ones where
     * they exist, the system's otherwise, as libvirt locates them.
     */
    public static DaemonPaths session(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        Path config = xdg(env, "XDG_CONFIG_HOME", home.resolve(".config"));
        Path cache = xdg(env, "XDG_CACHE_HOME", home.resolve(".cache"));
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path run = runtime != null && !runtime.isEmpty() ? Path.of(runtime) : cache;
        DaemonPaths sys = system();
        Path userPki = home.resolve(".pki/libvirt");
        return new DaemonPaths(config.resolve("jvirt/jvirtd.conf"), run.resolve("libvirt"),
                userOr(userPki.resolve("cacert.pem"), sys.caFile()),
                userOr(userPki.resolve("servercert.pem"), sys.certFile()),
                userOr(userPki.resolve("serverkey.pem"), sys.keyFile()),
                cache.resolve("jvirt/log/jvirtd.log"), run.resolve("libvirt/jvirtd.pid"));
    }

    /** {@code root} when given, else the system or session paths. */
    public static DaemonPaths of(Path root, boolean privileged, Map<String, String> env) {
        if (root != null) return underRoot(root);
        return privileged ? system() : session(env);
    }

    private static Path xdg(Map<String, String> env, String var, Path fallback) {
        String v = env.get(var);
        return v != null && !v.isEmpty() ? Path.of(v) : fallback;
    }

    private static Path userOr(Path user, Path system) {
        return java.nio.file.Files.exists(user) ? user : system;
    }
}
