package org.jvirt.rpc.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real libvirtd (Debian's libvirt-daemon) as a child process, the reference peer of the
 * remote client's and jvirtd's tests (shared through rpc's test-jar): listening on 127.0.0.1 (plain TCP, no authentication) on a free port and
 * on UNIX sockets in a private directory, with no driver modules loaded (its built-in test
 * driver serves test:///default; loading the QEMU driver fails on machines like this one).
 * libvirtd keeps test:///default's state while any client has it open and starts it afresh
 * when the last one closes.
 *
 * <pre>
 * assumeTrue(RealLibvirtd.available(), RealLibvirtd.MISSING);
 * try (RealLibvirtd d = RealLibvirtd.start()) { ... d.tcpUri("test", "/default") ... }
 * </pre>
 */
public final class RealLibvirtd implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/libvirtd");
    /** The reason tests give when they skip. */
    public static final String MISSING = "libvirtd is not installed (" + BINARY + "): the tests against the real daemon are skipped";

    private final Path dir;
    private final int tcpPort;
    private final Process process;

    private RealLibvirtd(Path dir, int tcpPort, Process process) {
        this.dir = dir;
        this.tcpPort = tcpPort;
        this.process = process;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a daemon with extra libvirtd.conf lines (e.g. "keepalive_interval = 1"). */
    public static RealLibvirtd start(String... extraConfig) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jvirt-libvirtd");
        Path run = Files.createDirectories(dir.resolve("run"));
        Path drivers = Files.createDirectories(dir.resolve("drivers"));
        int port = freePort();
        StringBuilder conf = new StringBuilder()
                .append("listen_tls = 0\n")
                .append("listen_tcp = 1\n")
                .append("tcp_port = \"").append(port).append("\"\n")
                .append("listen_addr = \"127.0.0.1\"\n")
                .append("auth_tcp = \"none\"\n")
                .append("auth_unix_rw = \"none\"\n")
                .append("auth_unix_ro = \"none\"\n")
                .append("unix_sock_dir = \"").append(run).append("\"\n");
        for (String line : extraConfig) conf.append(line).append('\n');
        Path confFile = dir.resolve("libvirtd.conf");
        Files.writeString(confFile, conf);
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "--listen", "-f", confFile.toString(),
                "-p", dir.resolve("libvirtd.pid").toString());
        pb.environment().put("LIBVIRT_DRIVER_DIR", drivers.toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile());
        RealLibvirtd d = new RealLibvirtd(dir, port, pb.start());
        try {
            d.awaitListening();
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("libvirtd exited with " + process.exitValue() + ": " + log());
            if (Files.exists(socket()) && tcpAccepts()) return;
            Thread.sleep(50);
        }
        throw new IOException("libvirtd did not listen within 30 s: " + log());
    }

    private boolean tcpAccepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", tcpPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int tcpPort() {
        return tcpPort;
    }

    /** The read-write UNIX socket. */
    public Path socket() {
        return dir.resolve("run").resolve("libvirt-sock");
    }

    /** The read-only UNIX socket. */
    public Path roSocket() {
        return dir.resolve("run").resolve("libvirt-sock-ro");
    }

    /** e.g. tcpUri("test", "/default") = "test+tcp://127.0.0.1:PORT/default". */
    public String tcpUri(String driver, String path) {
        return driver + "+tcp://127.0.0.1:" + tcpPort + path;
    }

    /** e.g. unixUri("test", "/default") = "test+unix:///default?socket=DIR/run/libvirt-sock". */
    public String unixUri(String driver, String path) {
        return driver + "+unix://" + path + "?socket=" + socket();
    }

    /** What the daemon printed so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("libvirtd.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
