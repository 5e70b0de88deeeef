package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Which jvirtd serves a state root, so that a local connection to that root can take its
 * lifecycle events from the daemon instead of watching by itself. The daemon announces itself
 * in the root's run directory ({@code jvirtd.events}: its pid and its read-only socket) once it
 * serves, and withdraws at a clean shutdown; an announcement whose process is gone (a daemon
 * killed with -9) is ignored, and so is this process's own (connections inside the daemon watch
 * by themselves: they are the ones feeding its clients).
 */
public final class DaemonPresence implements AutoCloseable {
    static final String FILE = "jvirtd.events";

    private final Path file;

    private DaemonPresence(Path file) {
        this.file = file;
    }

    /** Announces this process as the daemon of the root at paths, reachable on readOnlySocket. */
    public static DaemonPresence announce(JvirtPaths paths, Path readOnlySocket) throws IOException {
        Path dir = paths.runDir().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n" + readOnlySocket.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new DaemonPresence(file);
    }

    /** The read-only socket of a live daemon in another process serving the root of paths, if any. */
    static Optional<Path> daemonSocket(JvirtPaths paths) {
        Path dir = paths.runDir().toAbsolutePath().normalize();
        try {
            List<String> lines = Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8);
            if (lines.size() < 2) return Optional.empty();
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            Path socket = Path.of(lines.get(1));
            return alive && pid != ProcessHandle.current().pid() && Files.exists(socket) ? Optional.of(socket) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no announcement, or a torn one: watch by ourselves
        }
    }

    /** Withdraws the announcement if it is still this process's (another daemon may have taken the root since). */
    @Override
    public void close() {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).trim().equals(Long.toString(ProcessHandle.current().pid()))) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // already gone
        }
    }
}
