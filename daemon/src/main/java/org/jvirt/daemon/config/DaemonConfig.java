package org.jvirt.daemon.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * jvirtd's settings, read from a file in libvirtd.conf's syntax with libvirtd's meanings and
 * defaults for the keys the two share. Every key libvirtd 9.0 reads is type-checked in libvirtd's
 * order, so a file libvirtd refuses is refused with the same first message; keys jvirtd does not
 * act on are ignored with a warning (libvirtd ignores unknown keys silently).
 *
 * <p>Defaults, libvirtd's unless said:
 * <ul>
 * <li>{@code listen_tcp} 0, {@code listen_tls} 1 (both only with {@code --listen}), {@code tcp_port}
 *     "16509", {@code tls_port} "16514";
 * <li>{@code listen_addr}: <b>jvirtd listens on 127.0.0.1 by default</b>; libvirtd binds every
 *     interface. Set {@code listen_addr = "0.0.0.0"} (or an address) to serve other hosts;
 * <li>{@code auth_tcp} "sasl": jvirtd has no SASL, so listening on TCP needs {@code auth_tcp = "none"}
 *     ({@link #requireSupported}); {@code auth_tls} "none";
 * <li>{@code auth_unix_ro}, {@code auth_unix_rw} "none": libvirtd's system default is "polkit" on a
 *     polkit build (Debian's) with the read-write socket 0777; jvirtd has no polkit and keeps
 *     libvirtd's non-polkit defaults: read-write socket 0700 (root, or the group when relaxed),
 *     read-only socket 0777 ({@code unix_sock_rw_perms}, {@code unix_sock_ro_perms});
 * <li>{@code unix_sock_dir}, {@code ca_file}, {@code cert_file}, {@code key_file}: {@link DaemonPaths};
 * <li>{@code max_clients} 5000, {@code max_workers} 20, {@code keepalive_interval} 5,
 *     {@code keepalive_count} 5; {@code unix_sock_group}, {@code tls_allowed_dn_list},
 *     {@code log_outputs}, {@code host_uuid}: unset;
 * <li>qemu.conf's migration listener keys (libvirt reads them from qemu.conf): {@code migration_address}
 *     and {@code migration_host} unset, {@code migration_port_min} 49152, {@code migration_port_max} 49215.
 * </ul>
 */
public final class DaemonConfig {
    /** libvirt refuses config files over 10 MiB. */
    static final int MAX_FILE_SIZE = 10 * 1024 * 1024;

    public static final String DEFAULT_LISTEN_ADDR = "127.0.0.1";

    private final String file;
    private boolean listenTcp = false;
    private boolean listenTls = true;
    private String tcpPort = "16509";
    private String tlsPort = "16514";
    private String listenAddr = DEFAULT_LISTEN_ADDR;
    private Auth authTcp = Auth.SASL;
    private Auth authTls = Auth.NONE;
    private Auth authUnixRo = Auth.NONE;
    private Auth authUnixRw = Auth.NONE;
    private Path unixSockDir;
    private String unixSockGroup;
    private String unixSockRoPerms = "0777";
    private String unixSockRwPerms = "0700";
    private Path caFile;
    private Path certFile;
    private Path keyFile;
    private List<String> tlsAllowedDnList;
    private long maxClients = 5000;
    private long maxWorkers = 20;
    private int keepaliveInterval = 5;
    private long keepaliveCount = 5;
    private String logOutputs;
    private String hostUuid;
    private String migrationAddress;
    private String migrationHost;
    private long migrationPortMin = org.jvirt.driver.jvirt.MigrationListen.PORT_MIN;
    private long migrationPortMax = org.jvirt.driver.jvirt.MigrationListen.PORT_MAX;

    private DaemonConfig(String file, DaemonPaths paths) {
        this.file = file;
        this.unixSockDir = paths.unixSockDir();
        this.caFile = paths.caFile();
        this.certFile = paths.certFile();
        this.keyFile = paths.keyFile();
    }

    /** The defaults alone (no file). */
    public static DaemonConfig defaults(DaemonPaths paths) {
        return new DaemonConfig(null, paths);
    }

    /**
     * Reads {@code file} (given with {@code --config}: it must exist). Warnings about ignored keys
     * go to {@code warnings}.
     */
    public static DaemonConfig load(Path file, DaemonPaths paths, Consumer<String> warnings) throws ConfigException {
        String name = file.toString();
        return parse(name, read(file), paths, warnings);
    }

    /** The default config file of {@code paths} if there is one, else the defaults (as libvirtd). */
    public static DaemonConfig loadDefault(DaemonPaths paths, Consumer<String> warnings) throws ConfigException {
        if (!Files.exists(paths.configFile())) return defaults(paths);
        return load(paths.configFile(), paths, warnings);
    }

    /** Parses config text; {@code file} names it in messages. */
    public static DaemonConfig parse(String file, String text, DaemonPaths paths, Consumer<String> warnings)
            throws ConfigException {
        ConfFile conf = ConfFile.parse(file, text);
        DaemonConfig c = new DaemonConfig(file, paths);
        c.apply(conf);
        KnownKeys.warnIgnored(conf, warnings);
        return c;
    }

    private static String read(Path file) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException("Failed to read file '" + file + "': Is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_SIZE + 1);
            if (bytes.length > MAX_FILE_SIZE) {
                throw new ConfigException("Failed to read file '" + file + "': Argument list too long");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Failed to open file '" + file + "': No such file or directory");
        } catch (AccessDeniedException e) {
            throw new ConfigException("Failed to open file '" + file + "': Permission denied");
        } catch (IOException e) {
            throw new ConfigException("Failed to read file '" + file + "': " + e.getMessage());
        }
    }

    /** Reads every key libvirtd reads, in libvirtd's order, keeping the ones jvirtd uses. */
    private void apply(ConfFile conf) throws ConfigException {
        listenTcp = conf.getBool("listen_tcp").orElse(listenTcp);
        listenTls = conf.getBool("listen_tls").orElse(listenTls);
        tlsPort = conf.getString("tls_port").orElse(tlsPort);
        tcpPort = conf.getString("tcp_port").orElse(tcpPort);
        listenAddr = conf.getString("listen_addr").orElse(listenAddr);
        authUnixRw = auth(conf, "auth_unix_rw", authUnixRw);
        authUnixRo = auth(conf, "auth_unix_ro", authUnixRo);
        authTcp = auth(conf, "auth_tcp", authTcp);
        authTls = auth(conf, "auth_tls", authTls);
        conf.getStringList("access_drivers");
        unixSockGroup = conf.getString("unix_sock_group").orElse(unixSockGroup);
        conf.getString("unix_sock_admin_perms");
        unixSockRoPerms = conf.getString("unix_sock_ro_perms").orElse(unixSockRoPerms);
        unixSockRwPerms = conf.getString("unix_sock_rw_perms").orElse(unixSockRwPerms);
        unixSockDir = conf.getString("unix_sock_dir").map(Path::of).orElse(unixSockDir);
        conf.getBool("tls_no_sanity_certificate");
        conf.getBool("tls_no_verify_certificate");
        keyFile = conf.getString("key_file").map(Path::of).orElse(keyFile);
        certFile = conf.getString("cert_file").map(Path::of).orElse(certFile);
        caFile = conf.getString("ca_file").map(Path::of).orElse(caFile);
        conf.getString("crl_file");
        tlsAllowedDnList = conf.getStringList("tls_allowed_dn_list").orElse(tlsAllowedDnList);
        conf.getString("tls_priority");
        if (conf.getUInt("tcp_min_ssf").map(v -> v < 112).orElse(false)) {
            throw new ConfigException("unsupported configuration: minimum SSF levels lower than 112 are not supported");
        }
        conf.getStringList("sasl_allowed_username_list");
        conf.getUInt("min_workers");
        maxWorkers = conf.getUInt("max_workers").orElse(maxWorkers);
        if (maxWorkers < 1) throw new ConfigException("internal error: 'max_workers' must be greater than 0");
        maxClients = conf.getUInt("max_clients").orElse(maxClients);
        for (String k : List.of("max_queued_clients", "max_anonymous_clients", "prio_workers", "max_client_requests",
                "admin_min_workers", "admin_max_workers", "admin_max_clients", "admin_max_queued_clients",
                "admin_max_client_requests", "audit_level")) {
            conf.getUInt(k);
        }
        conf.getBool("audit_logging");
        hostUuid = conf.getString("host_uuid").orElse(hostUuid);
        conf.getString("host_uuid_source");
        conf.getUInt("log_level");
        conf.getString("log_filters");
        logOutputs = conf.getString("log_outputs").orElse(logOutputs);
        keepaliveInterval = conf.getInt("keepalive_interval").orElse(keepaliveInterval);
        keepaliveCount = conf.getUInt("keepalive_count").orElse(keepaliveCount);
        conf.getInt("admin_keepalive_interval");
        conf.getUInt("admin_keepalive_count");
        conf.getUInt("ovs_timeout");
        applyMigration(conf);
    }

    /**
     * qemu.conf's migration listener keys (libvirtd reads them from qemu.conf; jvirtd has one
     * file), checked with qemu.conf's messages.
     */
    private void applyMigration(ConfFile conf) throws ConfigException {
        migrationPortMin = conf.getUInt("migration_port_min").orElse(migrationPortMin);
        if (migrationPortMin <= 0) throw new ConfigException("internal error: " + conf.file() + ": migration_port_min: port must be greater than 0");
        migrationPortMax = conf.getUInt("migration_port_max").orElse(migrationPortMax);
        if (migrationPortMax > 65535 || migrationPortMax < migrationPortMin) {
            throw new ConfigException("internal error: " + conf.file() + ": migration_port_max: port must be between the minimal port "
                    + migrationPortMin + " and 65535");
        }
        migrationHost = notLocal(conf, "migration_host");
        migrationAddress = notLocal(conf, "migration_address");
    }

    /** A migration address key, brackets of an IPv6 address stripped; refused when it names this machine's loopback. */
    private static String notLocal(ConfFile conf, String key) throws ConfigException {
        String v = conf.getString(key).orElse(null);
        if (v == null) return null;
        if (v.startsWith("[") && v.endsWith("]")) v = v.substring(1, v.length() - 1);
        if (v.startsWith("localhost") || v.startsWith("127.") || v.equals("::1")) {
            throw new ConfigException("configuration file syntax error: " + key + " must not be the address of the local machine: " + v);
        }
        return v;
    }

    private static Auth auth(ConfFile conf, String key, Auth dflt) throws ConfigException {
        String v = conf.getString(key).orElse(null);
        return v == null ? dflt : Auth.parse(conf, key, v);
    }

    /**
     * Refuses what jvirtd cannot serve yet: SASL on a TCP or TLS listener it would open
     * ({@code listen}: started with --listen) and polkit on the unix sockets, naming the setting
     * and what to write instead.
     */
    public void requireSupported(boolean listen) throws ConfigException {
        String where = file == null ? "" : file + ": ";
        if (listen && listenTcp && authTcp != Auth.NONE) {
            throw new ConfigException("unsupported configuration: " + where + "auth_tcp: jvirtd does not support '"
                    + authTcp.word() + "' authentication yet (libvirtd's default for TCP is 'sasl'): set auth_tcp = \"none\""
                    + " to serve unauthenticated cleartext TCP on a trusted network, or use TLS (listen_tls)");
        }
        if (listen && listenTls && authTls != Auth.NONE) {
            throw new ConfigException("unsupported configuration: " + where + "auth_tls: jvirtd does not support '"
                    + authTls.word() + "' authentication yet: set auth_tls = \"none\" (clients are authenticated by"
                    + " their x509 certificates)");
        }
        for (String key : List.of("auth_unix_rw", "auth_unix_ro")) {
            Auth a = key.equals("auth_unix_rw") ? authUnixRw : authUnixRo;
            if (a != Auth.NONE) {
                throw new ConfigException("unsupported configuration: " + where + key + ": jvirtd does not support '"
                        + a.word() + "' authentication yet: set " + key + " = \"none\" and limit access with"
                        + " unix_sock_group and the socket permissions");
            }
        }
    }

    /** unix_sock_ro_perms as a mode, refused as libvirtd refuses it ("Failed to parse mode 'abc'"). */
    public int unixSockRoMode() throws ConfigException {
        return mode(unixSockRoPerms);
    }

    /** unix_sock_rw_perms as a mode. */
    public int unixSockRwMode() throws ConfigException {
        return mode(unixSockRwPerms);
    }

    private static int mode(String perms) throws ConfigException {
        try {
            return Integer.parseInt(perms.strip(), 8);
        } catch (NumberFormatException e) {
            throw new ConfigException("Failed to parse mode '" + perms + "'");
        }
    }

    /**
     * host_uuid as a UUID, or null when unset; refused as libvirtd refuses it ("invalid host UUID:
     * nope"), including a UUID whose 16 bytes are all the same, like all zeros.
     */
    public java.util.UUID hostUuidValue() throws ConfigException {
        if (hostUuid == null) return null;
        String hex = hostUuid.strip().replace("-", "");
        if (!hex.matches("[0-9a-fA-F]{32}") || allBytesSame(hex)) {
            throw new ConfigException("invalid host UUID: " + hostUuid);
        }
        return new java.util.UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static boolean allBytesSame(String hex) {
        String first = hex.substring(0, 2).toLowerCase();
        for (int i = 2; i < 32; i += 2) {
            if (!hex.substring(i, i + 2).equalsIgnoreCase(first)) return false;
        }
        return true;
    }

    /** The file read, or null for the defaults alone. */
    public String file() { return file; }
    public boolean listenTcp() { return listenTcp; }
    public boolean listenTls() { return listenTls; }
    public String tcpPort() { return tcpPort; }
    public String tlsPort() { return tlsPort; }
    /** The address to listen on; {@value #DEFAULT_LISTEN_ADDR} unless set (libvirtd: every interface). */
    public String listenAddr() { return listenAddr; }
    public Auth authTcp() { return authTcp; }
    public Auth authTls() { return authTls; }
    public Auth authUnixRo() { return authUnixRo; }
    public Auth authUnixRw() { return authUnixRw; }
    public Path unixSockDir() { return unixSockDir; }
    /** The group owning the sockets, or null (root's). */
    public String unixSockGroup() { return unixSockGroup; }
    public String unixSockRoPerms() { return unixSockRoPerms; }
    public String unixSockRwPerms() { return unixSockRwPerms; }
    public Path caFile() { return caFile; }
    public Path certFile() { return certFile; }
    public Path keyFile() { return keyFile; }
    /** The DN globs, or null when unset (no check). An empty list lets no client in, as in libvirtd. */
    public List<String> tlsAllowedDnList() { return tlsAllowedDnList; }
    public long maxClients() { return maxClients; }
    public long maxWorkers() { return maxWorkers; }
    public int keepaliveInterval() { return keepaliveInterval; }
    public long keepaliveCount() { return keepaliveCount; }
    /** log_outputs as written, or null. */
    public String logOutputs() { return logOutputs; }
    /** host_uuid as written, or null. */
    public String hostUuid() { return hostUuid; }
    /** migration_address, migration_host, migration_port_min/max: where incoming migrations are awaited. */
    public org.jvirt.driver.jvirt.MigrationListen migrationListen() {
        return new org.jvirt.driver.jvirt.MigrationListen(migrationAddress, migrationHost, (int) migrationPortMin, (int) migrationPortMax);
    }
}
