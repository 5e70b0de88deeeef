package org.jvirt.driver.jvirt.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Interface;

/**
 * A passt for one {@code <interface type='user'>}, started and stopped as libvirt 9.0.0 does for
 * QEMU (src/qemu/qemu_passt.c): the command line is {@link PasstArguments}', the socket is
 * {@code RUNDIR/SHORTNAME-ALIAS.socket} and the pid file {@code RUNDIR/SHORTNAME-ALIAS-passt.pid}
 * (libvirt's names, in the caller's directory). jvirt-vmm then connects to the socket
 * ({@code --nic stream,path=SOCKET}); passt runs with --one-off, so it ends by itself when the VMM's
 * connection closes (the VMM ended, was killed, or was saved).
 *
 * <p>Use: {@code PasstProcess.Handle h = PasstProcess.start(iface, "net0", runDir, "1-vm");}
 * then {@code --nic stream,path=h.socketPath(),mac=...}; {@code h.stop()} when the domain ends;
 * {@link #stopLeftover} when only the names are known (a passt left by a VMM killed before it
 * connected, or a start that failed half-way).
 *
 * <p>passt daemonizes itself and, as 9.0.0 passes no --pid, writes no pid file: once its first
 * process exited (after binding the socket), the daemon is found by its exact command line in
 * /proc and its pid written to the pid file here; stop checks the command line again before it
 * signals, so a reused pid is never killed. Run as root, passt drops to nobody (uid 65534) before
 * it binds the socket (libvirt runs it as the qemu user instead): RUNDIR is then made nobody's,
 * mode 0700, so that passt can create the socket there and no other user can reach it.
 */
public final class PasstProcess {
    private static final long NOBODY = 65534;
    private static final long START_TIMEOUT_S = 30, STOP_TIMEOUT_MS = 5_000;

    private PasstProcess() { }

    /** A running passt: its socket, pid file and pid. */
    public record Handle(Path socketPath, Path pidFile, long pid, List<String> argv) {
        /** Stops passt (SIGTERM, then SIGKILL after 5 s) and removes its socket and pid file; idempotent. */
        public void stop() {
            kill(pid, argv);
            deleteQuietly(pidFile);
            deleteQuietly(socketPath);
        }
    }

    public static Path socketPath(Path runDir, String shortName, String alias) {
        return runDir.resolve(shortName + "-" + alias + ".socket");
    }

    public static Path pidFile(Path runDir, String shortName, String alias) {
        return runDir.resolve(shortName + "-" + alias + "-passt.pid");
    }

    /** The full argv (passt's path first) for iface in runDir. */
    public static List<String> command(Interface iface, Path runDir, String shortName, String alias) throws LibvirtException {
        List<String> cmd = new ArrayList<>();
        cmd.add(HostCommand.tool("passt"));
        cmd.addAll(PasstArguments.of(iface, socketPath(runDir, shortName, alias)));
        return cmd;
    }

    /**
     * Starts passt for iface (the device's alias, e.g. "net0"; shortName as libvirt's
     * virDomainDefGetShortName, e.g. "1-vm") with its socket and pid file in runDir (created if
     * needed), after stopping a passt left there under the same names; returns once the socket
     * is there. Fails with libvirt's "Could not start 'passt'" error.
     */
    public static Handle start(Interface iface, String alias, Path runDir, String shortName) throws LibvirtException {
        return start(iface, alias, runDir, shortName, List.of());
    }

    /** As {@link #start(Interface, String, Path, String)}, passt run through wrapper (which must exec it: tests' "ip netns exec NS"). */
    static Handle start(Interface iface, String alias, Path runDir, String shortName, List<String> wrapper) throws LibvirtException {
        List<String> argv = command(iface, runDir, shortName, alias);
        Path socket = socketPath(runDir, shortName, alias), pidFile = pidFile(runDir, shortName, alias);
        try {
            prepare(runDir);
            stopLeftover(runDir, shortName, alias);
            // stderr to a file, not a pipe: the daemon must not hold our end open
            Path errFile = runDir.resolve("." + shortName + "-" + alias + "-passt.err");
            List<String> run = new ArrayList<>(wrapper);
            run.addAll(argv);
            Process p = new ProcessBuilder(run).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errFile.toFile()).start();
            boolean ended = p.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS); // passt's first process ends once the socket is bound
            String err = Files.exists(errFile) ? Files.readString(errFile, StandardCharsets.UTF_8) : "";
            deleteQuietly(errFile);
            if (!ended) {
                p.destroyForcibly();
                throw PasstArguments.internal("Could not start 'passt'. exitstatus: -1");
            }
            if (p.exitValue() != 0) {
                String why = lastLine(err);
                throw PasstArguments.internal(why.isEmpty() ? "Could not start 'passt'. exitstatus: " + p.exitValue() : "Could not start 'passt': " + why);
            }
            long pid = find(argv).orElseThrow(() -> PasstArguments.internal("Could not get process ID of passt"));
            Handle h = new Handle(socket, pidFile, pid, argv);
            if (!Files.exists(socket)) {
                h.stop();
                throw PasstArguments.internal("Could not start 'passt': no socket at " + socket);
            }
            Path tmp = runDir.resolve("." + pidFile.getFileName() + ".tmp");
            Files.writeString(tmp, pid + "\n");
            Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return h;
        } catch (IOException e) {
            stopLeftover(runDir, shortName, alias);
            throw PasstArguments.internal("Could not start 'passt': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopLeftover(runDir, shortName, alias);
            throw PasstArguments.internal("Could not start 'passt': interrupted");
        } catch (LibvirtException e) {
            stopLeftover(runDir, shortName, alias);
            throw e;
        }
    }

    /**
     * Stops the passt whose pid file is in runDir under these names, if it still runs (a pid
     * whose command line is not a passt on that socket is left alone), and removes the pid
     * file and the socket.
     */
    public static void stopLeftover(Path runDir, String shortName, String alias) {
        Path socket = socketPath(runDir, shortName, alias), pidFile = pidFile(runDir, shortName, alias);
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            List<String> cmd = cmdline(pid);
            int i = cmd.indexOf("--socket");
            if (i >= 0 && i + 1 < cmd.size() && cmd.get(i + 1).equals(socket.toString())) kill(pid, cmd);
        } catch (IOException | NumberFormatException e) {
            // no pid file, or not one of ours: nothing runs under these names
        }
        deleteQuietly(pidFile);
        deleteQuietly(socket);
    }

    /** runDir exists; when we are root, it is nobody's (passt creates its socket as nobody), 0700. */
    private static void prepare(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        if (((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0) {
            Files.setAttribute(runDir, "unix:uid", (int) NOBODY);
            Files.setAttribute(runDir, "unix:gid", (int) NOBODY);
            Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** The process whose command line is exactly argv (the daemon passt left running). */
    private static Optional<Long> find(List<String> argv) {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> argv.equals(cmdline(pid))).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** SIGTERM, then SIGKILL after 5 s, if pid still runs argv (libvirt's virProcessKillPainfully). */
    private static void kill(long pid, List<String> argv) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !argv.equals(cmdline(pid))) return;
        h.get().destroy();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MS);
        while (h.get().isAlive() && argv.equals(cmdline(pid)) && System.nanoTime() < end) sleep(20);
        if (h.get().isAlive() && argv.equals(cmdline(pid))) h.get().destroyForcibly();
    }

    private static String lastLine(String err) {
        String last = "";
        for (String l : err.split("\n")) {
            if (!l.isBlank() && !l.startsWith("Failed to send ")) last = l.strip(); // passt's syslog noise
        }
        return last;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover file is replaced on the next start
        }
    }
}
