package org.jvirt.driver.remote;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * A remote URI taken apart as libvirt's remote driver does (remote_driver.c, doRemoteOpen):
 * "driver+transport://user@host:port/path?params". The name sent in CONNECT_OPEN is the URI
 * without the transport, user, host, port and the parameters only the client reads.
 */
public record RemoteUri(String original, String driver, Transport transport, String user, String host, int port,
                        String openName, Map<String, String> remoteParams) {

    /** How the bytes travel. */
    public enum Transport { UNIX, TCP, SSH, TLS }

    /** libvirt's plain TCP port (LIBVIRTD_TCP_PORT). */
    public static final int TCP_PORT = 16509;
    public static final int TLS_PORT = 16514;

    /** Query parameters the remote driver consumes itself (never sent to the daemon). */
    static final List<String> REMOTE_ONLY = List.of("name", "command", "socket", "auth", "sshauth", "netcat", "keyfile",
            "pkipath", "known_hosts", "known_hosts_verify", "tls_priority", "mode", "proxy", "no_sanity", "no_verify",
            "no_tty", "authfile");

    /** Whether a scheme names a transport ("driver+transport"), which makes the URI remote. */
    public static boolean isRemoteScheme(String scheme) {
        return scheme != null && scheme.indexOf('+') > 0;
    }

    public static RemoteUri parse(String original, URI uri) throws LibvirtException {
        String scheme = uri.getScheme();
        int plus = scheme.indexOf('+');
        String driver = scheme.substring(0, plus);
        Transport transport = transport(scheme.substring(plus + 1));
        Map<String, String> remote = new LinkedHashMap<>();
        StringBuilder kept = new StringBuilder();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("[&;]")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (REMOTE_ONLY.contains(key.toLowerCase(java.util.Locale.ROOT))) {
                    remote.put(key.toLowerCase(java.util.Locale.ROOT), value);
                } else {
                    kept.append(kept.length() == 0 ? "?" : "&").append(pair);
                }
            }
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String name = remote.containsKey("name") ? remote.get("name")
                : "remote".equals(driver) ? "" : driver + "://" + path + kept;
        int port = uri.getPort();
        if (port < 0 && (transport == Transport.TCP || transport == Transport.TLS)) {
            port = transport == Transport.TCP ? TCP_PORT : TLS_PORT;
        }
        String host = uri.getHost();
        if (host == null && transport != Transport.UNIX) host = "localhost";
        return new RemoteUri(original, driver, transport, uri.getUserInfo(), host, port, name, remote);
    }

    private static Transport transport(String t) throws LibvirtException {
        return switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "unix" -> Transport.UNIX;
            case "tcp" -> Transport.TCP;
            case "ssh" -> Transport.SSH;
            case "tls" -> Transport.TLS;
            case "ext", "libssh2", "libssh" -> throw LibvirtException.unprefixed(ErrorNumber.VIR_ERR_NO_SUPPORT, ErrorDomain.VIR_FROM_REMOTE,
                    "the '" + t + "' transport is not supported by jvirt's remote driver (use ssh)");
            default -> throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_REMOTE,
                    "remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)");
        };
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String param(String key) {
        return remoteParams.get(key);
    }

    /**
     * The daemon's UNIX socket: ?socket=PATH, else libvirt's system socket (the read-only one
     * for a read-only connection; the driver's modular daemon's when only that one exists), or
     * the session socket under XDG_RUNTIME_DIR for "/session" of a user other than root.
     */
    public String unixSocket(boolean readOnly) {
        String explicit = param("socket");
        if (explicit != null && !explicit.isEmpty()) return explicit;
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        boolean session = openName.endsWith("/session") && !"root".equals(System.getProperty("user.name"));
        if (session && runtime != null) return runtime + "/libvirt/libvirt-sock";
        String suffix = readOnly ? "-ro" : "";
        String legacy = "/var/run/libvirt/libvirt-sock" + suffix;
        // modular daemons: without libvirtd's socket, the driver's own daemon (virtqemud-sock)
        String modular = "/var/run/libvirt/virt" + driver + "d-sock" + suffix;
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(legacy)) && java.nio.file.Files.exists(java.nio.file.Path.of(modular))) {
            return modular;
        }
        return legacy;
    }
}
