package org.jvirt.daemon.server;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * What the daemon listens on and how it treats clients, from libvirtd.conf's keys and the
 * command line (the defaults are libvirtd's; listen_addr defaults to loopback).
 *
 * @param root          --root: the system driver is jvirt:///embed?root=DIR (null: jvirt:///system)
 * @param unixSocketDir where libvirt-sock and libvirt-sock-ro are made (null: no unix sockets)
 * @param tcpPort       plain TCP port when listening (--listen and listen_tcp), else -1
 * @param tlsPort       TLS port when listening (--listen and listen_tls), else -1
 * @param tls           the TLS server context (null when not listening for TLS)
 * @param tlsAllowedDn  tls_allowed_dn_list globs (null: every client whose certificate the CA signed; empty: none)
 * @param migration     where the system driver's VMMs wait for incoming migrations (migration_address, ...)
 */
public record ServerSettings(Path root, Path unixSocketDir, Set<PosixFilePermission> rwPerms, Set<PosixFilePermission> roPerms,
                             String socketGroup, String listenAddr, int tcpPort, int tlsPort, javax.net.ssl.SSLContext tls,
                             List<String> tlsAllowedDn, int maxClients, int maxWorkers, int keepaliveInterval, int keepaliveCount,
                             org.jvirt.driver.jvirt.MigrationListen migration) {

    /** The settings with the default migration listener (every address, ports 49152-49215). */
    public ServerSettings(Path root, Path unixSocketDir, Set<PosixFilePermission> rwPerms, Set<PosixFilePermission> roPerms,
                          String socketGroup, String listenAddr, int tcpPort, int tlsPort, javax.net.ssl.SSLContext tls,
                          List<String> tlsAllowedDn, int maxClients, int maxWorkers, int keepaliveInterval, int keepaliveCount) {
        this(root, unixSocketDir, rwPerms, roPerms, socketGroup, listenAddr, tcpPort, tlsPort, tls, tlsAllowedDn, maxClients, maxWorkers,
                keepaliveInterval, keepaliveCount, org.jvirt.driver.jvirt.MigrationListen.DEFAULT);
    }
}
