package org.jvirt.rpc.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real libvirtd (Debian's libvirt-daemon) as a reference peer in tests: its own config
 * under a temp directory (plain TCP on a free loopback port, auth none, no TLS, unix sockets
 * in DIR/run), only its built-in test driver (LIBVIRT_DRIVER_DIR points at an empty directory:
 * its QEMU driver would fail to start here without the libvirt-qemu user).
 */
public final class RealLibvirtd implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/libvirtd");

    private final Process process;
    private final int port;
    private final Path dir;

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public RealLibvirtd(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("drivers"));
        this.port = freePort();
        Path conf = dir.resolve("libvirtd.conf");
        Files.writeString(conf, "listen_tls = 0\nlisten_tcp = 1\ntcp_port = \"" + port + "\"\nlisten_addr = \"127.0.0.1\"\n"
                + "auth_tcp = \"none\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\nunix_sock_dir = \"" + dir.resolve("run") + "\"\n"
                + "log_outputs = \"3:file:" + dir.resolve("libvirtd.log") + "\"\n", StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "--listen", "-f", conf.toString(), "--pid-file", dir.resolve("libvirtd.pid").toString());
        pb.environment().put("LIBVIRT_DRIVER_DIR", dir.resolve("drivers").toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.out").toFile());
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("libvirtd exited: " + Files.readString(dir.resolve("libvirtd.out")));
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("libvirtd did not listen on " + port);
    }

    public int tcpPort() {
        return port;
    }

    public Path rwSocket() {
        return dir.resolve("run").resolve("libvirt-sock");
    }

    public Path roSocket() {
        return dir.resolve("run").resolve("libvirt-sock-ro");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
