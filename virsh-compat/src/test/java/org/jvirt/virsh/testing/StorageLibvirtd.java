package org.jvirt.virsh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real libvirtd with its storage driver (Debian's libvirt_driver_storage.so and fs backend)
 * and nothing else, as the reference for jvirt's storage pools. It runs as user nobody, so it
 * is a session daemon: its pool configs and state live under a private directory (its
 * XDG_CONFIG_HOME, XDG_RUNTIME_DIR), never in /etc/libvirt or /run/libvirt, and it serves
 * {@code storage:///session} on a private UNIX socket that root's virsh can use.
 */
public final class StorageLibvirtd implements AutoCloseable {

    private static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");
    private static final Path STORAGE_DRIVER = Path.of("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_storage.so");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** user and group nobody/nogroup on Debian. */
    public static final int NOBODY = 65534;

    private final Path dir;
    private final Process process;

    private StorageLibvirtd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Why the tests against it cannot run here, or null when they can. */
    public static String missing() {
        if (!Files.isExecutable(LIBVIRTD)) return LIBVIRTD + " is not installed";
        if (!Files.exists(STORAGE_DRIVER)) return "libvirt's storage driver is not installed (" + STORAGE_DRIVER + ")";
        if (!Files.isExecutable(SETPRIV)) return "setpriv is not installed";
        if (!"root".equals(System.getProperty("user.name"))) return "starting libvirtd as nobody needs root";
        return null;
    }

    public static StorageLibvirtd start() throws IOException, InterruptedException {
        // /tmp itself, not a JUnit @TempDir (0700): nobody must reach its pools
        Path dir = Files.createTempDirectory("jvirt-storage-libvirtd");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String d : new String[] {"home", "run", "drivers", "pools"}) Files.createDirectories(dir.resolve(d));
        Files.createSymbolicLink(dir.resolve("drivers").resolve(STORAGE_DRIVER.getFileName()), STORAGE_DRIVER);
        Path conf = dir.resolve("home").resolve("libvirtd.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + dir.resolve("run") + "\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\n");
        for (String d : new String[] {"home", "run", "pools"}) chownNobody(dir.resolve(d));
        chownNobody(conf);
        ProcessBuilder pb = new ProcessBuilder(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                LIBVIRTD.toString(), "-f", conf.toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("home/.config").toString());
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("home/.cache").toString());
        pb.environment().put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
        pb.environment().put("LIBVIRT_DRIVER_DIR", dir.resolve("drivers").toString());
        pb.directory(dir.resolve("home").toFile());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile());
        StorageLibvirtd d = new StorageLibvirtd(dir, pb.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(d.socket())) {
            if (!d.process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("libvirtd.log"));
                d.close();
                throw new IOException("the storage libvirtd did not start: " + log);
            }
            Thread.sleep(50);
        }
        return d;
    }

    static void chownNobody(Path p) throws IOException {
        Files.setAttribute(p, "unix:uid", NOBODY);
        Files.setAttribute(p, "unix:gid", NOBODY);
    }

    public Path socket() { return dir.resolve("run").resolve("libvirt-sock"); }

    /** The URI real virsh connects with. */
    public String uri() { return "storage+unix:///session?socket=" + socket(); }

    /** A directory nobody owns, where the reference's pools go. */
    public Path pools() { return dir.resolve("pools"); }

    /**
     * A directory beside {@link #pools} whose path is as long (so tables of paths line up the
     * same), for the other side of a comparison; removed with the daemon's.
     */
    public Path sibling() throws IOException { return sibling("jvirt"); }

    /** As {@link #sibling()}, named (five characters, as "pools", keep the paths as long). */
    public Path sibling(String name) throws IOException {
        if (name.length() != 5) throw new IllegalArgumentException("a sibling's name has five characters: " + name);
        return Files.createDirectories(dir.resolve(name));
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
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
