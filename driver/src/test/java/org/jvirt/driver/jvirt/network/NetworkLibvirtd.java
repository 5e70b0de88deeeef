package org.jvirt.driver.jvirt.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real libvirtd 9.0 with only its network driver (Debian's libvirt_driver_network.so), as
 * root, in a test's network namespace and a mount namespace of its own where tmpfs covers
 * every directory it writes (/etc/libvirt, /run/libvirt, /var/lib, /var/cache, /var/log): its
 * networks, dnsmasq files and firewall rules stay in the namespaces, gone with them. It serves
 * {@code network:///system} on a socket in a test directory, which the real virsh uses from
 * outside.
 */
final class NetworkLibvirtd implements AutoCloseable {

    static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");
    static final Path VIRSH = Path.of("/usr/bin/virsh");
    static final Path NETWORK_DRIVER = Path.of("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_network.so");

    private final Path dir;
    private final Process process;
    final NetNamespace ns;

    private NetworkLibvirtd(Path dir, Process process, NetNamespace ns) {
        this.dir = dir;
        this.process = process;
        this.ns = ns;
    }

    /** Why it cannot run here, or null. */
    static String missing() {
        for (Path p : List.of(LIBVIRTD, VIRSH, Path.of("/usr/bin/unshare"), Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/sbin/iptables"))) {
            if (!Files.isExecutable(p)) return p + " is not installed";
        }
        if (!Files.exists(NETWORK_DRIVER)) return "libvirt's network driver is not installed (" + NETWORK_DRIVER + ")";
        for (String d : List.of("/run/libvirt", "/etc/libvirt", "/var/lib", "/var/cache", "/var/log")) {
            if (!Files.isDirectory(Path.of(d))) return d + " is missing (a mount point for the private libvirtd's tmpfs)";
        }
        return null;
    }

    static NetworkLibvirtd start(Path dir, NetNamespace ns) throws Exception {
        Files.createDirectories(dir.resolve("drivers"));
        Files.createDirectories(dir.resolve("sock"));
        Files.createSymbolicLink(dir.resolve("drivers").resolve(NETWORK_DRIVER.getFileName()), NETWORK_DRIVER);
        Path conf = Files.writeString(dir.resolve("libvirtd.conf"),
                "unix_sock_dir = \"" + dir.resolve("sock") + "\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n");
        String script = "set -e\nmount --make-rprivate /\n"
                + "for d in /run/libvirt /etc/libvirt /var/lib /var/cache /var/log; do mount -t tmpfs tmpfs $d; done\n"
                + "mkdir -p /var/lib/libvirt /var/cache/libvirt /var/log/libvirt\n"
                + "exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LIBVIRT_DRIVER_DIR=" + dir.resolve("drivers")
                + " " + LIBVIRTD + " -f " + conf + " -p " + dir.resolve("libvirtd.pid") + "\n";
        Path sh = Files.writeString(dir.resolve("libvirtd.sh"), script);
        Process p = ns.start(dir, List.of("/usr/bin/unshare", "--mount", "/bin/sh", sh.toString()));
        p.getOutputStream().close();
        Path log = dir.resolve("libvirtd.log");
        Thread drain = new Thread(() -> {
            try {
                Files.copy(p.getInputStream(), log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // the log is for failures only
            }
        }, "libvirtd-log");
        drain.setDaemon(true);
        drain.start();
        NetworkLibvirtd d = new NetworkLibvirtd(dir, p, ns);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve("sock/libvirt-sock")) || d.virsh(dir, "uri").exit() != 0) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                d.close();
                throw new AssertionError("the network libvirtd did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(100);
        }
        return d;
    }

    String uri() {
        return "network+unix:///system?socket=" + dir.resolve("sock/libvirt-sock");
    }

    /** The real virsh on this daemon, run in dir (from outside the namespaces: it is only a client). */
    NetNamespace.Result virsh(Path cwd, String... args) throws Exception {
        return virsh(cwd, List.of(), List.of(args));
    }

    /** As {@link #virsh(Path, String...)}, the command line after prefix (an env setting, say). */
    NetNamespace.Result virsh(Path cwd, List<String> prefix, List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(List.of(VIRSH.toString(), "-c", uri()));
        cmd.addAll(args);
        return NetNamespace.run(cmd, cwd);
    }

    /** A file as the daemon sees it (inside its mount namespace), "" when it has none. */
    String read(String path) throws Exception {
        NetNamespace.Result r = NetNamespace.run(List.of("nsenter", "-t", Long.toString(process.pid()), "-m", "cat", path), null);
        return r.exit() == 0 ? r.out() : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
