package org.jvirt.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;

/** jvirtd in the test's JVM: unix sockets under a temp directory, plain TCP on a free loopback port. */
final class TestDaemon implements AutoCloseable {
    final Path dir;
    final DaemonServer server;

    TestDaemon(Path dir) throws Exception {
        this(dir, 5000, 5, 5);
    }

    TestDaemon(Path dir, int maxClients, int keepaliveInterval, int keepaliveCount) throws Exception {
        this.dir = dir;
        Path root = Files.createDirectories(dir.resolve("root"));
        ServerSettings s = new ServerSettings(root, dir.resolve("run"), PosixFilePermissions.fromString("rwx------"),
                PosixFilePermissions.fromString("rwxrwxrwx"), null, "127.0.0.1", 0, -1, null, null, maxClients, 20,
                keepaliveInterval, keepaliveCount);
        server = new DaemonServer(s);
        server.start();
    }

    int tcpPort() {
        return server.tcpPort();
    }

    Path rwSocket() {
        return dir.resolve("run").resolve(DaemonServer.RW_SOCKET);
    }

    Path roSocket() {
        return dir.resolve("run").resolve(DaemonServer.RO_SOCKET);
    }

    @Override
    public void close() {
        server.close();
    }
}
